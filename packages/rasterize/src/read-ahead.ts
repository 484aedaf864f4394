const ignore = () => {};

/**
 * Iterates `source` one item ahead: while the caller works on item N, the source is already producing
 * N + 1 (a PDF page renders in its worker while the previous one encodes). At most one item waits.
 * `onStop` runs first when iteration ends early, so the caller can cut short the item in flight
 * (`return()` on an async generator waits behind its pending `next()`).
 */
export async function* readAhead<T>(source: AsyncIterable<T>, onStop: () => void = ignore): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  let next = iterator.next();
  // Handled here so that an item in flight that fails after iteration stopped is no unhandled rejection.
  next.catch(ignore);
  try {
    for (;;) {
      const result = await next;
      if (result.done) {
        finished = true;
        return;
      }
      next = iterator.next();
      next.catch(ignore);
      yield result.value;
    }
  } catch (error) {
    finished = true;
    throw error;
  } finally {
    if (!finished) {
      onStop();
      await next.catch(ignore);
      await iterator.return?.()?.catch(ignore);
    }
  }
}
