import * as assert from "node:assert/strict";
import * as util from "node:util";
import { abortableSleep, PipelineRequest, PipelineResponse, SendRequest } from "../../src/core/http";

/** What the fake transport answers to one attempt: a response, or a failure to throw. */
export type FakeAnswer = { status: number; headers?: Record<string, string>; body?: unknown } | { fail: unknown };

/** A transport answering from a script, one answer per attempt, recording what it was sent. */
export interface FakeTransport {
  readonly send: SendRequest;
  /** The requests sent, in order. */
  readonly sent: PipelineRequest[];
}

/** Answers attempt n with `answers[n]` (the last one repeats); JSON bodies are serialised. */
export function fakeTransport(...answers: FakeAnswer[]): FakeTransport {
  const sent: PipelineRequest[] = [];
  const send: SendRequest = async (request) => {
    sent.push(request);
    const answer = answers[Math.min(sent.length, answers.length) - 1];
    if ("fail" in answer) throw answer.fail;
    const body = answer.body === undefined ? "" : typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
    const response: PipelineResponse = { status: answer.status, headers: answer.headers ?? {}, body };
    return response;
  };
  return { send, sent };
}

/** A sleep that records each delay and returns at once. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

/**
 * The real abortable sleep, whose signal's controller aborts as soon as the wait has started:
 * the call must then end at once, however long the wait.
 */
export function sleepAbortedBy(controller: AbortController): { sleep: (ms: number, signal?: AbortSignal) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: (ms, signal) => {
      waits.push(ms);
      const sleeping = abortableSleep(ms, signal);
      controller.abort();
      return sleeping;
    },
  };
}

/** The error `promise` rejects with, asserted to be a `type`. */
export async function rejectionOf<E>(promise: Promise<unknown>, type: abstract new (...args: never[]) => E): Promise<E> {
  const err = await promise.then(
    () => assert.fail("expected the call to fail"),
    (e: unknown) => e,
  );
  assert.ok(err instanceof type, `expected a ${type.name}, got ${util.inspect(err)}`);
  return err;
}
