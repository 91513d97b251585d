/**
 * Secret shapes found inside any string (messages included). One detector per line: its kind
 * (the name it is counted under), a cheap `hint` a string must match before `re` runs at all,
 * the global regex, and the replacement (`$1`… refer to `re`'s groups). `valid` rejects a match
 * that only looks like the shape (a card number failing Luhn). Order matters: earlier detectors
 * see the text first (a bearer JWT counts as `bearer`, not `jwt`).
 */
export interface Detector {
  kind: string;
  hint: RegExp;
  re: RegExp;
  replace: string;
  valid?: (match: string, groups: string[]) => boolean;
}

/** Luhn check: only card-shaped numbers that pass it are treated as card numbers. */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** A credential after `Bearer`/`Basic` looks random (a digit, a symbol inside, padding or mixed case), not like a word. */
function credentialLike(_m: string, g: string[]): boolean {
  const t = (g[1] ?? '').replace(/\.+$/, '');
  return /[\d+/_~-]|\.[^.]|=$/.test(t) || (/[a-z]/.test(t) && /[A-Z]/.test(t.slice(1)));
}

function cardLike(m: string): boolean {
  const digits = m.replace(/[ -]/g, '');
  return digits.length >= 13 && digits.length <= 19 && luhn(digits);
}

/** Names whose value is a secret inside free text (`password=…`, `secret: …`) and query strings. */
const NAME = String.raw`(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|credentials?|auth[_-]?token|sig|signature)`;

const NOT_DONE = String.raw`(?!\[REDACTED)`;

export const DETECTORS: readonly Detector[] = [
  { kind: 'private_key', hint: /PRIVATE KEY-----/, re: /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g, replace: '[REDACTED-PRIVATE-KEY]' },
  { kind: 'url_password', hint: /:\/\/[^\s]*@/, re: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/?#[\]]*):((?!\[REDACTED)[^\s@/?#]+)@/gi, replace: '$1:[REDACTED]@' },
  { kind: 'query_secret', hint: /[?&;][^=\s]*=/, re: new RegExp(String.raw`([?&;](?:[\w.-]*[_.-])?${NAME}=)${NOT_DONE}[^&#\s"'<>]+`, 'gi'), replace: '$1[REDACTED]' },
  { kind: 'bearer', hint: /[Bb]earer|[Bb]asic/, re: /\b([Bb]earer|[Bb]asic)\s+([A-Za-z0-9._~+/-]{8,}=*)/g, replace: '$1 [REDACTED]', valid: credentialLike },
  { kind: 'jwt', hint: /eyJ/, re: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, replace: '[REDACTED-JWT]' },
  { kind: 'aws_access_key', hint: /AKIA|ASIA/, re: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, replace: '[REDACTED-AWS-KEY]' },
  { kind: 'aws_secret_key', hint: /secret/i, re: /\b((?:aws[_-]?)?secret[_-]?(?:access[_-]?)?key["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/gi, replace: '$1[REDACTED]' },
  { kind: 'github_token', hint: /gh[pousr]_|github_pat_/, re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g, replace: '[REDACTED-GITHUB-TOKEN]' },
  { kind: 'slack_token', hint: /xox[abposr]-/, re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, replace: '[REDACTED-SLACK-TOKEN]' },
  { kind: 'stripe_key', hint: /k_live_/, re: /\b[rs]k_live_[A-Za-z0-9]{16,}\b/g, replace: '[REDACTED-STRIPE-KEY]' },
  { kind: 'google_api_key', hint: /AIza/, re: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g, replace: '[REDACTED-GOOGLE-KEY]' },
  { kind: 'secret_pair', hint: /(?:pass|pwd|secret|token|key|credential|auth|sig)\w*["']?\s*[:=]/i, re: new RegExp(String.raw`(?<![a-z0-9])(${NAME}["']?\s*[:=]\s*)(?:(")${NOT_DONE}[^"\n]+"|(')${NOT_DONE}[^'\n]+'|${NOT_DONE}(?!(?:[Bb]earer|[Bb]asic)\s)[^\s"',;&}\]]+)`, 'gi'), replace: '$1$2$3[REDACTED]$2$3' },
  { kind: 'card', hint: /\d(?:[ -]?\d){12}/, re: /(?<![\w.-])[2-6](?:\d{12,18}|\d{3}([ -])\d{4}\1\d{4}\1\d{1,7}|\d{3}([ -])\d{6}\2\d{5})(?![\w-]|\.\d)/g, replace: '[REDACTED-CARD]', valid: cardLike },
];
