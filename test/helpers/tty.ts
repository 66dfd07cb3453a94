/** Test doubles for terminal output. */

/** A terminal-like stream that records what cli-progress draws. */
export function fakeTty() {
  const writes: string[] = [];
  const stream = {
    isTTY: true,
    columns: 200,
    write: (chunk: string) => writes.push(String(chunk)) > 0,
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
    clearScreenDown: () => true,
    on: () => stream,
    removeListener: () => stream,
  };
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => writes.join("") };
}
