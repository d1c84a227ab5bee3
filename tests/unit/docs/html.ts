import { readFileSync } from 'node:fs';

/** The JSON document a generated page embeds in <script id="..." type="application/json">. */
export function embeddedJson<T>(path: string, id: string): T {
  const html = readFileSync(path, 'utf8');
  const match = new RegExp(`<script id="${id}" type="application/json">(.*?)</script>`, 's').exec(html);
  if (!match) throw new Error(`${path} embeds no #${id}`);
  return JSON.parse(match[1]!) as T;
}

/** src/href attributes of tags outside inline scripts (inlined libraries mention such tags in strings). */
export function externalReferences(html: string): string[] {
  return html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '<script></script>').match(/<[a-z]+[^>]*\s(src|href)=[^>]*>/gi) ?? [];
}
