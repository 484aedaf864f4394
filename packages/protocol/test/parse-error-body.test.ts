import { expect, test } from 'vitest';
import { parseErrorBody } from '../src/index.js';

test.each([
  [
    { error_code: 'AIS.0101', error_msg: 'bad' },
    { error_code: 'AIS.0101', error_msg: 'bad' },
  ],
  [
    { error_code: 'APIG.0308', error_msg: 'slow down', request_id: 'r-1' },
    { error_code: 'APIG.0308', error_msg: 'slow down', request_id: 'r-1' },
  ],
  [
    { errorCode: 'ModelArts.4401', errorMsg: 'busy' },
    { error_code: 'ModelArts.4401', error_msg: 'busy' },
  ],
  [
    { code: 'APIG.0301', message: 'no' },
    { error_code: 'APIG.0301', error_msg: 'no' },
  ],
  [{ error: { code: 'ModelArts.0203', message: 'expired' } }, { error_code: 'ModelArts.0203', error_msg: 'expired' }],
  [
    { error: { code: 'IAM.0002', message: 'x' }, request_id: 'q' },
    { error_code: 'IAM.0002', error_msg: 'x', request_id: 'q' },
  ],
  [
    { code: 401, message: 'numeric' },
    { error_code: '401', error_msg: 'numeric' },
  ],
  [{ error_code: 'AIS.0105' }, { error_code: 'AIS.0105', error_msg: '' }],
])('reads %j', (body, expected) => {
  expect(parseErrorBody(body)).toEqual(expected);
});

test.each([null, 'text', 42, [], {}, { message: 'no code' }, { error: 'string' }, { error_code: '' }])(
  'finds no code in %j',
  (body) => {
    expect(parseErrorBody(body)).toBeUndefined();
  },
);
