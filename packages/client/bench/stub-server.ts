// A minimal general-text endpoint for benchmarks, run as its own process so that server work does not
// share the measuring process's event loop. Prints its URL on stdout, then serves until killed.
import { createServer } from 'node:http';

const body = JSON.stringify({
  result: {
    direction: -1,
    words_block_count: 2,
    words_block_list: [
      {
        words: 'ocrkit bench',
        location: [
          [15, 15],
          [130, 15],
          [130, 40],
          [15, 40],
        ],
        confidence: 0.99,
      },
      {
        words: '第二行',
        location: [
          [15, 50],
          [90, 50],
          [90, 75],
          [15, 75],
        ],
        confidence: 0.98,
      },
    ],
  },
});

const server = createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'bench' });
    response.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (typeof address === 'object' && address) console.log(`http://127.0.0.1:${address.port}`);
});
