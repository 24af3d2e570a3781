import { mkdirSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from './test-app';

/** Debian's chromium (`.ci/run` installs it); never a browser downloaded by Playwright. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const ARTIFACTS = join(__dirname, '..', 'artifacts');

export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

/** Resolves once `server` listens on a random loopback port; returns the port. */
function listen(server: Server | HttpServer): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

function closeServer(server: Server | HttpServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** The api as a browser reaches it: `url` is its PUBLIC_URL, which socket.io's origin check needs. */
export interface BrowserApp {
  test: TestApp;
  url: string;
  close(): Promise<void>;
}

/**
 * Boots the real api for a browser. The browser must use Intake's PUBLIC_URL (cookies,
 * links, the socket's Origin check), but the test app listens on a port chosen at boot; so a
 * plain TCP forwarder takes a port first, becomes PUBLIC_URL, and pipes every connection
 * (HTTP and WebSocket alike) to the app.
 */
export async function startBrowserApp(env: Record<string, string> = {}): Promise<BrowserApp> {
  let target = 0;
  const sockets = new Set<Socket>();
  const forwarder = createServer((incoming) => {
    const outgoing = connect(target, '127.0.0.1');
    for (const socket of [incoming, outgoing]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    incoming.pipe(outgoing).pipe(incoming);
  });
  const port = await listen(forwarder);
  const url = `http://127.0.0.1:${port}`;
  const test = await startTestApp({ PUBLIC_URL: url, ...env });
  target = Number(new URL(test.url).port);
  return {
    test,
    url,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await closeServer(forwarder);
      await test.close();
    },
  };
}

/** Another site on another loopback port, serving one HTML page (no CSP of Intake's). */
export interface StaticSite {
  url: string;
  close(): Promise<void>;
}

export async function startStaticSite(html: string): Promise<StaticSite> {
  const server = createHttpServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}/`, close: () => closeServer(server) };
}

/** Full-page screenshots of the current page at desktop and phone widths, under test/artifacts. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const original = page.viewportSize();
  for (const [label, size] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${label}.png`), fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}
