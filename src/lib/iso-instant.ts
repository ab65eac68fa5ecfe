/**
 * Parses `2026-04-11T18:45:05+00:00`, `...Z`, `...+0900` or a plain `2026-04-11` (midnight UTC),
 * refusing what `new Date()` would quietly roll over: February 30 becomes null, not March 2.
 * A time without a zone is refused too: it would silently mean the machine's local time.
 */
export { parseIsoInstant } from '../settings/parsers';
