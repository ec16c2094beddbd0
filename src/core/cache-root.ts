/** Where infermark keeps what it builds and may rebuild (zoo models, compiled and converted models, peaks). */
import envPaths from 'env-paths';

export function defaultCacheRoot(): string {
  return process.env.INFERMARK_CACHE_DIR || envPaths('infermark', { suffix: '' }).cache;
}
