import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { apiError, errorCodeInfo, errorCodes } from '../src/index.js';

// A copy of shared/fixtures/huawei/error-codes.json, the vendor's table.
const table = JSON.parse(readFileSync(new URL('./fixtures/error-codes.json', import.meta.url), 'utf8')) as {
  codes: { code: string; status: number; message: string; retry: string }[];
};

test('the code table equals the vendor table, entry for entry', () => {
  const fromFixture = Object.fromEntries(table.codes.map(({ code, ...info }) => [code, info]));
  expect(errorCodes).toEqual(fromFixture);
});

test('errorCodeInfo knows listed codes only, including inherited property names', () => {
  expect(errorCodeInfo('APIG.0308')).toEqual({
    status: 429,
    message: 'The throttling threshold has been reached.',
    retry: 'yes',
  });
  expect(errorCodeInfo('AIS.9999')).toBeUndefined();
  expect(errorCodeInfo('toString')).toBeUndefined();
});

test('apiError uses the table status and message, then the detail', () => {
  expect(apiError('AIS.0103', 'The image is 5000x20 px.')).toEqual({
    status: 400,
    error_code: 'AIS.0103',
    error_msg: 'The image size does not meet the requirements. The image is 5000x20 px.',
  });
  expect(() => apiError('NOPE.1')).toThrow(RangeError);
});
