'use strict';

/**
 * The parsers of every setting stale-iam has: deploy parameters (packaging), the functions'
 * environment, SSM parameters and CLI flags all go through these, so a value means the same thing
 * everywhere and is refused with the same words. CommonJS with JSDoc types: `serverless/*.js`
 * requires it at package time, the TypeScript code imports it (checked with `checkJs`).
 *
 * Each parser takes the raw value and a label naming where it came from (`the deploy parameter
 * "maxPercent"`, `MAX_PERCENT`, `--days`) and returns the typed value or throws an
 * InvalidConfigError with one line: `<label> must be ..., got "<raw>"`.
 */

/** A setting (flag, environment variable, SSM parameter, deploy parameter) is missing or out of range. */
class InvalidConfigError extends Error {
  /**
   * @param {string} message
   * @param {ErrorOptions} [options]
   */
  constructor(message, options) {
    super(message, options);
    this.name = 'InvalidConfigError';
  }
}

/**
 * @template T
 * @typedef {(raw: unknown, label: string) => T} Parser
 */

/**
 * How a raw value is quoted in a message: `"abc"`, `nothing`, `null`.
 * @param {unknown} raw
 * @returns {string}
 */
function show(raw) {
  if (raw === undefined) return 'nothing';
  if (raw === null) return 'null';
  if (typeof raw === 'string') return JSON.stringify(raw);
  if (Array.isArray(raw)) return JSON.stringify(JSON.stringify(raw));
  return JSON.stringify(String(raw));
}

/**
 * @param {string} label
 * @param {string} expected
 * @param {unknown} raw
 */
function refuse(label, expected, raw) {
  return new InvalidConfigError(`${label} must be ${expected}, got ${show(raw)}`);
}

/**
 * A whole number in a range. Only plain digits are accepted: `90`, not `90.0`, `9e1`, ` 90 ` or
 * `0x5a` (a number from YAML is taken as its digits).
 * @param {number} min
 * @param {number} max
 * @returns {Parser<number>}
 */
function wholeNumber(min, max) {
  return (raw, label) => {
    const text = typeof raw === 'number' ? String(raw) : raw;
    const value = typeof text === 'string' && /^\d{1,9}$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(value) || value < min || value > max) {
      throw refuse(label, `a whole number from ${min} to ${max}`, raw);
    }
    return value;
  };
}

/**
 * One of a fixed set of words, exactly as written.
 * @template {string} T
 * @param {readonly T[]} choices
 * @returns {Parser<T>}
 */
function choice(choices) {
  return (raw, label) => {
    const match = choices.find((c) => c === raw || (typeof raw === 'number' && c === String(raw)));
    if (match === undefined) throw refuse(label, `one of ${choices.join(', ')}`, raw);
    return match;
  };
}

/**
 * `true` or `false` in any letter case (YAML may hand over a real boolean). `yes`, `1` and `on`
 * are refused: a switch that guards remediation is never guessed.
 * @type {Parser<boolean>}
 */
function boolean(raw, label) {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string' && /^(true|false)$/i.test(raw.trim()))
    return raw.trim().toLowerCase() === 'true';
  throw refuse(label, 'true or false', raw);
}

/**
 * An email address, or empty for none.
 * @type {Parser<string>}
 */
function emailOrEmpty(raw, label) {
  const text = raw == null ? '' : typeof raw === 'string' ? raw.trim() : null;
  if (text === null || (text !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text))) {
    throw refuse(label, 'an email address or empty', raw);
  }
  return text;
}

/**
 * An EventBridge schedule expression: `cron(min hour day-of-month month day-of-week year)`, with
 * `?` in exactly one of the two day fields, or `rate(N unit)` (`rate(1 day)`, `rate(12 hours)`).
 * @type {Parser<string>}
 */
function scheduleExpression(raw, label) {
  const expected = 'an EventBridge schedule such as cron(0 0 * * ? *) or rate(1 day)';
  const text = typeof raw === 'string' ? raw.trim() : '';
  const cron = /^cron\(([^()]*)\)$/.exec(text);
  if (cron) {
    const fields = (cron[1] ?? '').trim().split(/\s+/);
    const fieldsOk = fields.length === 6 && fields.every((f) => /^[0-9A-Za-z*?,/#-]+$/.test(f));
    const oneQuestionMark = (fields[2] === '?') !== (fields[4] === '?');
    if (fieldsOk && oneQuestionMark) return text;
    throw refuse(label, expected, raw);
  }
  const rate = /^rate\((\d{1,6}) (minute|minutes|hour|hours|day|days)\)$/.exec(text);
  if (rate) {
    const count = Number(rate[1]);
    const singular = !(rate[2] ?? '').endsWith('s');
    if (count >= 1 && singular === (count === 1)) return text;
  }
  throw refuse(label, expected, raw);
}

/** IAM user names (and role names): 1 to 64 of letters, digits and `+=,.@_-`. Commas are legal. */
const IAM_USER_NAME = /^[\w+=,.@-]{1,64}$/;
/** IAM group names: the same characters, up to 128. */
const IAM_GROUP_NAME = /^[\w+=,.@-]{1,128}$/;
/** IAM paths: `/`, or `/` + printable ASCII (no space) + `/`, up to 512 characters. */
const IAM_PATH = /^\/(?:[\x21-\x7e]*\/)?$/;
const MAX_PATH_LENGTH = 512;

/**
 * The one normaliser of exempt path prefixes, used by the handler's check and by the IAM Deny of
 * the disable role alike: IAM paths begin and end with `/`, so `breakglass` and `/breakglass` both
 * mean `/breakglass/` (a user under `/breakglass-old/` is not exempt), instead of a prefix that
 * silently matches nobody, or more than intended.
 * @param {string} prefix
 * @returns {string}
 */
function normalisePathPrefix(prefix) {
  return `${prefix.startsWith('/') ? '' : '/'}${prefix}${prefix.endsWith('/') ? '' : '/'}`;
}

/**
 * A list of names as a JSON array (`["breakglass","ops-oncall"]`), which can hold every legal IAM
 * name, commas included; a YAML list is taken as it is; empty means none. A comma- or
 * semicolon-separated list is refused rather than read as one name that matches nobody.
 * @param {string} what e.g. `IAM user names`
 * @param {(entry: string) => string | null} check the normalised entry, or null when it is not legal
 * @param {string} rule what a legal entry is
 * @param {string} [example] a legal list, for the message
 * @returns {Parser<string[]>}
 */
function nameList(what, check, rule, example = '["alice","bob"]') {
  const expected = `a JSON array of ${what} such as ${example}, or empty`;
  return (raw, label) => {
    /** @type {unknown} */
    let items = raw;
    if (raw == null || (typeof raw === 'string' && raw.trim() === '')) return [];
    if (typeof raw === 'string') {
      try {
        items = JSON.parse(raw);
      } catch {
        throw refuse(label, expected, raw);
      }
    }
    if (!Array.isArray(items) || !items.every((item) => typeof item === 'string')) {
      throw refuse(label, expected, raw);
    }
    /** @type {string[]} */
    const names = [];
    for (const item of /** @type {string[]} */ (items)) {
      const name = check(item);
      if (name === null) {
        throw new InvalidConfigError(`${label}: ${JSON.stringify(item)} is not ${rule}`);
      }
      if (!names.includes(name)) names.push(name);
    }
    return names;
  };
}

const userNames = nameList(
  'IAM user names',
  (name) => (IAM_USER_NAME.test(name) ? name : null),
  'a legal IAM user name (1 to 64 letters, digits and +=,.@_-)',
);

const groupNames = nameList(
  'IAM group names',
  (name) => (IAM_GROUP_NAME.test(name) ? name : null),
  'a legal IAM group name (1 to 128 letters, digits and +=,.@_-)',
);

const pathPrefixes = nameList(
  'IAM paths',
  (prefix) => {
    const path = normalisePathPrefix(prefix);
    // `*` and `?` are wildcards in the Deny's resource ARN: they would exempt more there than here.
    return IAM_PATH.test(path) && path.length <= MAX_PATH_LENGTH && !/[*?]/.test(path) ? path : null;
  },
  'a legal IAM path prefix (printable ASCII without spaces, * or ?, up to 512 characters)',
  '["/breakglass/"]',
);

/** An AWS account id: exactly 12 digits. */
const ACCOUNT_ID = /^\d{12}$/;
/**
 * A parent in AWS Organizations, as ListAccountsForParent's ParentId takes it: an organizational
 * unit (`ou-ab12-cd34ef56`) or the root (`r-ab12`).
 */
const ORGANIZATIONAL_UNIT_ID = /^(?:r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;

const accountIds = nameList(
  'AWS account ids',
  (id) => (ACCOUNT_ID.test(id) ? id : null),
  'an AWS account id (12 digits)',
  '["111122223333"]',
);

const organizationalUnitIds = nameList(
  'organizational unit ids',
  (id) => (ORGANIZATIONAL_UNIT_ID.test(id) ? id : null),
  'an organizational unit id (ou-xxxx-xxxxxxxx) or a root id (r-xxxx)',
  '["ou-ab12-cd34ef56"]',
);

/**
 * An IAM role name.
 * @type {Parser<string>}
 */
function roleName(raw, label) {
  if (typeof raw === 'string' && IAM_USER_NAME.test(raw)) return raw;
  throw refuse(label, 'an IAM role name (1 to 64 letters, digits and +=,.@_-)', raw);
}

/**
 * An ISO-8601 instant with an explicit zone (`2026-11-28T09:00:00Z`, `...+09:00`) or a plain date
 * (`2026-11-28`, taken as midnight UTC). A zone-less time is refused: it would silently mean the
 * machine's local time. February 30 is refused rather than rolled over to March 2.
 * @type {Parser<Date>}
 */
function instant(raw, label) {
  const date = typeof raw === 'string' ? parseIsoInstant(raw.trim()) : null;
  if (!date) throw refuse(label, 'an ISO-8601 instant such as 2026-11-28T09:00:00Z', raw);
  return date;
}

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/i;

/**
 * `2026-04-11T18:45:05+00:00`, `...Z`, `...+0900` or a plain `2026-04-11` (midnight UTC), or null.
 * @param {string} text
 * @returns {Date | null}
 */
function parseIsoInstant(text) {
  const m = ISO_INSTANT.exec(text);
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zone = 'Z'] = m;
  const [year, month, day, hour, minute, second] =
    /** @type {[number, number, number, number, number, number]} */ ([y, mo, d, h, mi, s].map(Number));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  const offset = zoneOffsetMinutes(zone);
  if (offset === null) return null;
  const millis = fraction ? Math.floor(Number(fraction) * 1000) : 0;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  return new Date(utc - offset * 60_000);
}

/** The furthest any zone is from UTC is 14 hours (Kiribati, +14:00); ISO 8601 minutes stop at 59. */
const MAX_OFFSET_HOURS = 14;

/**
 * Minutes east of UTC, or null for an offset no clock shows (`+99:99`, `-23:75`): refused like
 * February 30 rather than turned into some other instant.
 * @param {string} zone
 * @returns {number | null}
 */
function zoneOffsetMinutes(zone) {
  if (zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4));
  if (hours > MAX_OFFSET_HOURS || minutes > 59) return null;
  return sign * (hours * 60 + minutes);
}

module.exports = {
  InvalidConfigError,
  show,
  wholeNumber,
  choice,
  boolean,
  emailOrEmpty,
  scheduleExpression,
  userNames,
  groupNames,
  pathPrefixes,
  accountIds,
  organizationalUnitIds,
  roleName,
  normalisePathPrefix,
  instant,
  parseIsoInstant,
  IAM_USER_NAME,
  ACCOUNT_ID,
};
