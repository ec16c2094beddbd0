/**
 * The page's HTTP server, on 127.0.0.1 and a free port, for one trial. Every
 * response carries Cross-Origin-Opener-Policy and -Embedder-Policy, so the
 * page is crossOriginIsolated and SharedArrayBuffer (wasm threads) works.
 * It serves only the folders in assets.ts, the shims, and the model bytes
 * it was given; any other path is a 404.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { assetRoots } from './assets.js';
import { pageHtml } from './page-html.js';
import { fixSymbolicDims } from './fix-dims.js';
import { STATIC_SHIMS, tfjsCoreShim } from './shims.js';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html; charset=utf-8',
  '.json': 'application/json', '.map': 'application/json',
};

const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

export interface PageFiles {
  /** The ONNX model, for onnxruntime-web. */
  modelBytes?: Uint8Array;
  /** The decoded graph (graph-wire), for the tfjs importer. */
  graph?: { json: string; blob: Uint8Array };
}

export interface PageServer {
  origin: string;
  close(): Promise<void>;
}

async function body(path: string, files: PageFiles, query: URLSearchParams): Promise<{ type: string; data: string | Uint8Array } | undefined> {
  // Browsers ask for it unprompted; an empty answer keeps a 404 out of the console tail.
  if (path === '/favicon.ico') return { type: 'image/x-icon', data: new Uint8Array(0) };
  if (path === '/ort.html') return { type: TYPES['.html'], data: pageHtml('ort') };
  if (path === '/tfjs.html') return { type: TYPES['.html'], data: pageHtml('tfjs') };
  if (path === '/model.onnx' && files.modelBytes) {
    const dims = query.get('dims');
    return { type: 'application/octet-stream', data: dims ? fixSymbolicDims(files.modelBytes, JSON.parse(dims)) : files.modelBytes };
  }
  if (path === '/graph.json' && files.graph) return { type: TYPES['.json'], data: files.graph.json };
  if (path === '/graph.bin' && files.graph) return { type: 'application/octet-stream', data: files.graph.blob };
  if (path === '/shim/tfjs-core.js') return { type: TYPES['.js'], data: await tfjsCoreShim() };
  if (path.startsWith('/shim/')) {
    const name = decodeURIComponent(path.slice('/shim/'.length).replace(/\.js$/, ''));
    const text = STATIC_SHIMS[name];
    return text === undefined ? undefined : { type: TYPES['.js'], data: text };
  }
  for (const [prefix, dir] of Object.entries(assetRoots().folders)) {
    if (!path.startsWith(prefix)) continue;
    const file = resolve(dir, '.' + path.slice(prefix.length - 1));
    const type = TYPES[extname(file)];
    if (!type || !file.startsWith(resolve(dir) + sep)) return undefined;
    try {
      return { type, data: await readFile(file) };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export async function startPageServer(files: PageFiles): Promise<PageServer> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname);
    body(path, files, url.searchParams).then((b) => {
      if (!b) {
        res.writeHead(404, { ...ISOLATION_HEADERS, 'Content-Type': 'text/plain' }).end(`infermark page server: no ${path}`);
        return;
      }
      res.writeHead(200, { ...ISOLATION_HEADERS, 'Content-Type': b.type }).end(b.data);
    }, (err: Error) => {
      res.writeHead(500, { ...ISOLATION_HEADERS, 'Content-Type': 'text/plain' }).end(err.message);
    });
  });
  await new Promise<void>((ok, fail) => { server.once('error', fail); server.listen(0, '127.0.0.1', () => ok()); });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}
