/** Request body parsing (JSON and multipart/form-data) and a tiny path router. */
import type { IncomingMessage } from 'node:http';
import { errors } from './errors.ts';
import type { StoredFile } from './payloads.ts';

export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks);
}

export interface ParsedBody {
  /** Parsed JSON body, or the parsed `payload_json` part of a multipart body. */
  json: unknown;
  multipart: boolean;
  /** Non-file multipart fields (including payload_json as text). */
  fields: Record<string, string>;
  files: StoredFile[];
}

export async function parseBody(raw: Buffer, contentType: string | undefined): Promise<ParsedBody> {
  const result: ParsedBody = { json: undefined, multipart: false, fields: {}, files: [] };
  if (raw.length === 0) return result;
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    result.multipart = true;
    const form = await new Response(raw, { headers: { 'content-type': contentType ?? '' } }).formData();
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        result.fields[field] = value;
      } else {
        const data = Buffer.from(await value.arrayBuffer());
        result.files.push({ field, filename: value.name, contentType: value.type || 'application/octet-stream', size: data.length, data });
      }
    }
    const payload = result.fields.payload_json;
    if (payload !== undefined) {
      try {
        result.json = JSON.parse(payload) as unknown;
      } catch {
        throw errors.invalidJson();
      }
    }
    return result;
  }
  const text = raw.toString('utf8');
  if (type.startsWith('application/json') || /^\s*[[{"]/.test(text)) {
    try {
      result.json = JSON.parse(text) as unknown;
    } catch {
      throw errors.invalidJson();
    }
    return result;
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    result.json = Object.fromEntries(new URLSearchParams(text));
    return result;
  }
  result.json = text;
  return result;
}

export type Params = Record<string, string>;

export interface Route<H> {
  method: string;
  segments: string[];
  handler: H;
  /** false for routes Discord authenticates by token in the path (interaction callbacks, webhooks). */
  auth: boolean;
}

/** Match a decoded path ("/channels/1/messages") against routes like "/channels/:channel/messages". */
export function matchRoute<H>(routes: ReadonlyArray<Route<H>>, method: string, path: string): { route: Route<H>; params: Params } | 'method' | undefined {
  const parts = splitPath(path);
  let methodMismatch = false;
  for (const route of routes) {
    if (route.segments.length !== parts.length) continue;
    const params: Params = {};
    let ok = true;
    for (let i = 0; i < parts.length; i++) {
      const seg = route.segments[i];
      const part = parts[i];
      if (seg === undefined || part === undefined) {
        ok = false;
        break;
      }
      if (seg.startsWith(':')) params[seg.slice(1)] = part;
      else if (seg !== part) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    if (route.method !== method) {
      methodMismatch = true;
      continue;
    }
    return { route, params };
  }
  return methodMismatch ? 'method' : undefined;
}

export function splitPath(path: string): string[] {
  return path.split('/').filter((p) => p.length > 0);
}

/** Decode each segment ("%40original" → "@original"). */
export function decodePath(rawPath: string): string {
  return rawPath
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join('/');
}
