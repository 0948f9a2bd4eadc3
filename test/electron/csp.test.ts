// The Content-Security-Policy of the renderer page, in the source and in what `electron-vite build`
// ships (npm test builds first): scripts only from the app itself — no eval, no inline script, no
// remote origin — and nothing loaded from, posted to or framed by anywhere else.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const pages = { source: join(root, 'src-renderer', 'index.html'), built: join(root, 'out', 'renderer', 'index.html') };

/** The policy of the page's CSP meta tag, directive → sources. */
function policyOf(html: string): Map<string, string[]> {
  const metas = [...html.matchAll(/<meta\s(?:[^>"']|"[^"]*"|'[^']*')*http-equiv=["']Content-Security-Policy["'](?:[^>"']|"[^"]*"|'[^']*')*>/gi)].map((m) => m[0]);
  expect(metas, 'exactly one CSP meta tag').toHaveLength(1);
  const content = /content=(["'])([\s\S]*?)\1/i.exec(metas[0])![2];
  return new Map(
    content
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0] !== '')
      .map(([name, ...sources]) => [name.toLowerCase(), sources]),
  );
}

/** The sources a directive falls back to default-src for, as a browser reads it. */
const effective = (policy: Map<string, string[]>, directive: string): string[] => policy.get(directive) ?? policy.get('default-src') ?? ['*'];

describe.each(Object.entries(pages))('the CSP of the %s page', (_which, file) => {
  it('exists (the built one after `npx electron-vite build`)', () => {
    expect(existsSync(file), file).toBe(true);
  });

  const html = existsSync(file) ? readFileSync(file, 'utf8') : '';

  it('lets scripts come only from the app: no eval, no inline script, no remote origin', () => {
    const policy = policyOf(html);
    for (const directive of ['script-src', 'script-src-elem', 'script-src-attr', 'worker-src']) {
      expect(effective(policy, directive), directive).toEqual(["'self'"]);
    }
    expect(html).not.toMatch(/unsafe-eval|wasm-unsafe-eval|unsafe-hashes|strict-dynamic/);
  });

  it('keeps everything else at home: no remote hosts, no plugins, no base or form targets', () => {
    const policy = policyOf(html);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(effective(policy, 'connect-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('form-action')).toEqual(["'none'"]);
    for (const [directive, sources] of policy) {
      for (const source of sources) expect(["'self'", "'none'", "'unsafe-inline'", 'data:'], `${directive} ${source}`).toContain(source);
      if (sources.includes("'unsafe-inline'")) expect(directive, 'only styles may be inline').toBe('style-src');
    }
  });

  it('has no inline script and loads nothing from another origin', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\ssrc=["'](\.\/|\/)(?!\/)/);
      expect(body.trim()).toBe('');
    }
    expect(html).not.toMatch(/\s(src|href)=["'](https?:)?\/\//i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });
});
