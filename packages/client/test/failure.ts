import { isOcrError, type OcrError } from '../src/index.js';

/** The OcrError `promise` rejects with; fails the test when it resolves or rejects with anything else. */
export async function failure(promise: Promise<unknown>): Promise<OcrError> {
  const outcome = await promise.then(
    (value) => ({ resolved: value }),
    (error: unknown) => ({ rejected: error }),
  );
  if (!('rejected' in outcome)) throw new Error(`Expected the call to fail; it resolved to ${JSON.stringify(outcome)}`);
  if (!isOcrError(outcome.rejected)) throw outcome.rejected;
  return outcome.rejected;
}
