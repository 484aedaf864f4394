export { FetchImageError, type FetchImageOptions, fetchImage, isInternalAddress } from './fetch-image.js';
export { type RequestLog, type RunningServer, type ServerOptions, startServer } from './server.js';
