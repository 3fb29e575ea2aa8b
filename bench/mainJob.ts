export async function mainJob(): Promise<void> {}
