/**
 * `npm run mongo:embedded -- --port 27017 --dbpath ./data/db [--journal always|batch]`
 *   [--max-connections 1000] [--stalled-message-timeout-ms 30000] [--idle-timeout-ms 3600000]
 * Runs the embedded MongoDB in its own process (so long queries do not stall the BFF); prints
 * its URI once it accepts connections and exits with code 0 on SIGTERM/SIGINT after the
 * journal is flushed. Without --dbpath the data lives in memory. --journal defaults to always
 * (see EmbeddedMongoOptions.journal); the connection limits are EmbeddedMongoOptions' too.
 */
import { startEmbeddedMongo, type EmbeddedMongoOptions } from './index';

const FLAGS = ['--port', '--dbpath', '--journal', '--ttl-interval-ms', '--max-connections', '--stalled-message-timeout-ms', '--idle-timeout-ms'];

function wholeNumber(flag: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be a whole number of at least ${min}, not ${text}`);
  return n;
}

function parseArgs(argv: string[]): EmbeddedMongoOptions {
  const options: EmbeddedMongoOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--port':
        options.port = Number(value());
        break;
      case '--dbpath':
        options.dbPath = value();
        break;
      case '--journal': {
        const mode = value();
        if (mode !== 'always' && mode !== 'batch') throw new Error(`--journal must be "always" or "batch", not ${mode}`);
        options.journal = mode;
        break;
      }
      case '--ttl-interval-ms':
        options.ttlIntervalMs = Number(value());
        break;
      case '--max-connections':
        options.maxConnections = wholeNumber(flag, value(), 1);
        break;
      case '--stalled-message-timeout-ms':
        options.stalledMessageTimeoutMs = wholeNumber(flag, value(), 0);
        break;
      case '--idle-timeout-ms':
        options.idleTimeoutMs = wholeNumber(flag, value(), 0);
        break;
      default:
        throw new Error(`unknown option ${argv[i]} (expected ${FLAGS.join(', ')})`);
    }
  }
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0 && options.port < 65536)) {
    throw new Error('--port must be a port number');
  }
  return options;
}

async function main(): Promise<void> {
  const server = await startEmbeddedMongo(parseArgs(process.argv.slice(2)));
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    server.stop().then(
      () => process.exit(0),
      (err) => {
        console.error('embedded MongoDB: shutdown failed:', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((err: Error & { code?: string }) => {
  console.error(`embedded MongoDB failed to start: ${err.code ? `${err.code}: ` : ''}${err.message}`);
  process.exit(1);
});
