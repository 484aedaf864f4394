// The server under load, in a process of its own: prints its URL, then serves until killed.
import { startServer } from '@ocrkit/server';

const server = await startServer({ port: 0, maxQueue: 64, log: false });
console.log(server.url);
process.on('SIGTERM', () => {
  server.close().then(() => process.exit(0));
});
