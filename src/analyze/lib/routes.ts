/**
 * Route templating: a path-like value (`GET /api/users/123?x=1`, `/orders/9f8e…`, a URL) with its
 * id-like segments replaced by placeholders and its query string and fragment dropped, so that
 * one route is one group however many ids it serves. Values that are not path-like are returned
 * unchanged.
 */

// An optional HTTP method (or any upper-case verb), then a path or an absolute URL.
const PATH_LIKE = /^(?:([A-Za-z]{3,10}) +)?((?:[a-z][a-z0-9+.-]*:\/\/[^/\s?#]*)?\/[^\s]*)$/;

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const NUMBER = /^[-+]?\d+(?:[.,]\d+)?$/;
// Hex of hash or object-id length with at least one digit and one letter (`deadbeef` stays a word).
const HEX = /^(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{8,}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}(?:[T_ ]\d{2}(?::?\d{2}){0,2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?$|^\d{8}(?:T\d{6}Z?)?$/;
const EMAIL = /^[^@\s/]+@[^@\s/]+\.[A-Za-z]{2,}$/;
// A word, a separator and a number: `ord-12345`, `usr_42`, `INV-2024-0001`.
const PREFIXED = /^[A-Za-z]{1,12}[-_:]\d[\d_-]*$/;
// base64/base64url tokens, JWTs: long, from that alphabet, with a digit.
const TOKEN = /^(?=.*\d)[A-Za-z0-9_-]{16,}={0,2}$|^[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}$/;

/**
 * The placeholder for one path segment, or undefined when it is not id-like. Words, versions
 * (`v2`), file names (`app.js`) and short codes stay.
 */
export function segmentPlaceholder(seg: string): string | undefined {
  if (seg === '') return undefined;
  if (NUMBER.test(seg)) return '<id>';
  if (UUID.test(seg)) return '<uuid>';
  if (DATE.test(seg)) return '<date>';
  if (HEX.test(seg)) return '<hex>';
  if (EMAIL.test(seg)) return '<email>';
  if (PREFIXED.test(seg)) return '<id>';
  if (TOKEN.test(seg)) return '<token>';
  if (mixedId(seg)) return '<id>';
  return undefined;
}

/**
 * Letters and digits mixed the way generated ids are (`a1b2c3d4`, `usr8f3k2j9x`, `AB12CD34`):
 * at least 8 characters, at least 2 digits, digits not only at the end (`release2024` is not one,
 * nor `sha256`, `oauth2`, `x509`).
 */
function mixedId(seg: string): boolean {
  if (seg.length < 8 || !/^[A-Za-z0-9_-]+$/.test(seg)) return false;
  const digits = seg.replace(/\D/g, '').length;
  if (digits < 2 || digits === seg.length) return false;
  // Letters then digits only (a word with a number after it) is a name, not an id.
  if (/^[A-Za-z]+[-_]?\d+$/.test(seg) && digits < 6) return false;
  // Digit/letter alternations: generated ids switch often.
  let switches = 0;
  for (let i = 1; i < seg.length; i++) if (/\d/.test(seg[i]) !== /\d/.test(seg[i - 1])) switches++;
  return switches >= 2 || digits >= 6;
}

/** The path with id-like segments replaced, its query string and fragment dropped. */
function templatePath(p: string): string {
  let end = p.length;
  const q = p.indexOf('?');
  if (q !== -1) end = q;
  const h = p.indexOf('#');
  if (h !== -1 && h < end) end = h;
  const path = p.slice(0, end);
  // The scheme and host of an absolute URL stay as they are.
  const hostEnd = path.startsWith('/') ? 0 : path.indexOf('/', path.indexOf('//') + 2);
  const head = path.slice(0, hostEnd);
  const segs = path.slice(hostEnd).split('/');
  for (let i = 1; i < segs.length; i++) {
    let seg = segs[i];
    // Matrix parameters (`;jsessionid=…`) are parameters, not the route.
    const semi = seg.indexOf(';');
    if (semi !== -1) seg = seg.slice(0, semi);
    segs[i] = segmentPlaceholder(seg) ?? seg;
  }
  return head + segs.join('/');
}

/**
 * The route of a path-like value (`GET /api/users/123/orders/9f8e7d6c5b4a?x=1` →
 * `GET /api/users/<id>/orders/<hex>`); any other value unchanged.
 */
export function templateRoute(value: string): string {
  if (value.indexOf('/') === -1) return value;
  const m = PATH_LIKE.exec(value);
  if (!m) return value;
  const path = templatePath(m[2]);
  return m[1] !== undefined ? `${m[1]} ${path}` : path;
}

/**
 * templateRoute with a bounded memo: most records repeat a handful of values. The memo is
 * dropped whole when full, so memory stays bounded on values that never repeat.
 */
export class RouteTemplater {
  private memo = new Map<string, string>();
  constructor(private readonly size = 4096) {}

  apply(value: string): string {
    let t = this.memo.get(value);
    if (t !== undefined) return t;
    t = templateRoute(value);
    if (this.memo.size >= this.size) this.memo.clear();
    this.memo.set(value, t);
    return t;
  }
}
