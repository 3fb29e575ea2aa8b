"""Redaction of secret values in what a task or a command context shows: its logs (every byte
written to file descriptors 1 and 2, by Python, C code or child processes), its results, its
errors and tracebacks, its exit and task values. Standard library only.

* A secret value of at least ``MIN_REDACTED_LENGTH`` characters is replaced by ``[REDACTED]``
  wherever it occurs, as Databricks does with the values read with ``dbutils.secrets.get``.
  Occurrences that overlap (one secret inside or across another) are replaced as one.
* Output is a stream: a secret may arrive split across writes, at any time. ``RedactingStream``
  holds back only the tail that could still become a secret (at most the longest secret minus one
  byte) and lets the rest through at once, so logs stay live and no write boundary or delay lets a
  secret through. What it holds at the end is flushed redacted.
* Very short secret values. Databricks documents its notebook-output redaction as the replacement
  of the literal values read with ``dbutils.secrets.get`` by ``[REDACTED]`` ("Secret redaction",
  learn.microsoft.com/azure/databricks/security/secrets/redaction: it "applies only to
  literals"; the SQL ``secret`` function page calls it "a best-effort attempt"). It documents no
  minimum length and no special handling of short values, so the emulator does the safest
  equivalent. Replacing a one-, two- or three-character value in place would reveal it: every
  ``e`` of the output turning into ``[REDACTED]`` shows that the secret is ``e``, and its
  positions show it even where nothing else does. So a value shorter than
  ``MIN_REDACTED_LENGTH`` is never replaced in place. Instead, from the moment the code reads such
  a value (``dbutils.secrets.get`` / ``getBytes``), everything the process shows afterwards is
  withheld: the log stream ends with ``WITHHELD_NOTICE`` and results, errors, exit and task values
  read ``WITHHELD_NOTICE``. That decision depends only on the read, never on the output's content,
  so it reveals nothing about the value; output produced before the read could not hold it.
  Longer secrets of the same process are still redacted as above.
"""

REDACTED = "[REDACTED]"

#: Secret values shorter than this (in characters) are too short to replace in place.
MIN_REDACTED_LENGTH = 4

#: What replaces output once the code read a secret too short to redact.
WITHHELD_NOTICE = (
    f"[REDACTED: output withheld because the code read a secret value shorter than {MIN_REDACTED_LENGTH} characters, "
    "which cannot be redacted without revealing it]"
)

_REDACTED_BYTES = REDACTED.encode("utf-8")


def _encode(text):
    return text.encode("utf-8", "surrogatepass")


def _decode(data):
    return data.decode("utf-8", "surrogatepass")


class Redactor:
    """The secret values of one process, and whether it read one too short to redact."""

    def __init__(self, values):
        values = {v for v in values if isinstance(v, str) and v}
        self._patterns = sorted({_encode(v) for v in values if len(v) >= MIN_REDACTED_LENGTH}, key=len, reverse=True)
        #: The longest secret, in bytes (0 when there is nothing to replace).
        self.longest = len(self._patterns[0]) if self._patterns else 0
        #: True once the code read a secret too short to redact: all later output is withheld.
        self.withheld = False
        #: Called just before output starts being withheld (the output pipe passes on what it holds).
        self.before_withholding = None

    @classmethod
    def for_spec(cls, spec):
        """The redactor of a task or context spec: every value of its ``secrets`` scopes."""
        return cls(v for keys in (spec.get("secrets") or {}).values() for v in (keys or {}).values())

    def note_read(self, value):
        """Called with every value ``dbutils.secrets`` hands to the code."""
        if isinstance(value, str) and 0 < len(value) < MIN_REDACTED_LENGTH and not self.withheld:
            if self.before_withholding is not None:
                self.before_withholding()
            self.withheld = True

    def spans(self, data):
        """The byte ranges ``[start, end)`` covered by secrets in ``data``, overlapping ones merged."""
        found = []
        for pattern in self._patterns:
            at = data.find(pattern)
            while at != -1:
                found.append((at, at + len(pattern)))
                at = data.find(pattern, at + 1)
        merged = []
        for start, end in sorted(found):
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        return merged

    def open_start(self, data, low):
        """The first position at or after ``low`` where a secret may begin that ``data`` cuts short."""
        best = len(data)
        for pattern in self._patterns:
            at = data.find(pattern[:1], max(0, low, len(data) - len(pattern) + 1))
            while at != -1 and at < best:
                if pattern.startswith(data[at:]):
                    best = at
                    break
                at = data.find(pattern[:1], at + 1)
        return best

    def text(self, value):
        """``value`` (a str, or None) with its secrets redacted, or the withheld notice."""
        if value is None:
            return None
        if self.withheld:
            return WITHHELD_NOTICE
        stream = RedactingStream(self)
        return _decode(stream.feed(_encode(value)) + stream.finish())

    def cut_text(self, value):
        """``value``, the start of a text cut short, redacted: where the cut may split a secret,
        the secret's beginning is dropped rather than shown."""
        if self.withheld:
            return WITHHELD_NOTICE
        return _decode(RedactingStream(self).feed(_encode(value)))

    def json(self, value):
        """A JSON value with every string in it (keys included) redacted, or the withheld notice."""
        if self.withheld:
            return WITHHELD_NOTICE
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(v) for v in value]
        if isinstance(value, dict):
            return {self.text(str(k)): self.json(v) for k, v in value.items()}
        return value


class RedactingStream:
    """Redacts one stream of bytes whose writes may split a secret anywhere.

    ``feed`` returns what can be shown now; ``finish`` returns the rest. Between calls it keeps
    ``pending`` (raw bytes that may be the start of a secret) and ``context`` (the last raw bytes
    already shown, so that a secret that began inside a redacted span is recognised when the rest
    of it arrives).
    """

    def __init__(self, redactor):
        self._redactor = redactor
        self._pending = b""
        self._context = b""
        self._ended_redacted = False
        self._withheld_shown = False

    def feed(self, chunk):
        return self._process(chunk, final=False)

    def finish(self):
        return self._process(b"", final=True)

    def _process(self, chunk, final):
        r = self._redactor
        if r.withheld:
            self._pending = b""
            if self._withheld_shown:
                return b""
            self._withheld_shown = True
            return WITHHELD_NOTICE.encode("utf-8") + b"\n"
        if r.longest == 0:
            data, self._pending = self._pending + chunk, b""
            return data
        data = self._context + self._pending + chunk
        base = len(self._context)
        spans = r.spans(data)
        # A secret may also have begun inside a span already shown redacted: its rest waits too.
        cut = len(data) if final else max(base, r.open_start(data, len(data) - (r.longest - 1)))
        for start, end in spans:
            if start < cut < end:
                cut = end  # shown redacted; a secret that began inside it is found through the context
        out = bytearray()
        pos = base
        for start, end in spans:
            if end <= base:
                continue
            if start >= cut:
                break
            out += data[pos:max(start, base)]
            continues_shown_span = start < base and self._ended_redacted
            if not continues_shown_span:
                out += _REDACTED_BYTES
            pos = end
        out += data[pos:cut]
        if cut > base:
            self._ended_redacted = pos == cut and any(start < cut and end == cut for start, end in spans)
        self._context = data[max(0, cut - (r.longest - 1)):cut]
        self._pending = data[cut:]
        return bytes(out)
