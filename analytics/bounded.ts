/**
 * Reads a request body (a web ReadableStream) without ever holding more than
 * `limit` bytes: a body over the limit, chunked or not, is cancelled at the
 * first chunk past it and answered `null`, so an unauthenticated upload costs
 * at most `limit` bytes of memory.
 */
export async function readAtMost(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<Buffer | null> {
  if (!body) return Buffer.alloc(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}
