'use strict';

/**
 * The text of `.env.example`, from the settings table: every deploy parameter with its default and
 * its description, so the file cannot drift from what packaging accepts. `npm run env-example`
 * writes it; a test checks the file in the repository is this text.
 */

const { SETTINGS, STAGE_DEFAULTS } = require('../src/settings/table');

/** The region the stack goes to when nothing else says: provider.region's last fallback. */
const DEFAULT_REGION = 'us-east-1';

/**
 * Single quotes: the shell (`. ./.env`) and dotenv both read everything inside literally.
 * @param {string} value
 */
function quote(value) {
  if (value.includes("'")) throw new Error(`cannot single-quote ${JSON.stringify(value)}`);
  return `'${value}'`;
}

/**
 * A comment wrapped at 100 columns.
 * @param {string} text
 */
function comment(text) {
  /** @type {string[]} */
  const lines = [];
  let line = '#';
  for (const word of text.split(' ')) {
    if (line.length + 1 + word.length > 100 && line !== '#') {
      lines.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines;
}

/** @param {string} param */
function stageNote(param) {
  const stages = Object.entries(STAGE_DEFAULTS)
    .filter(([, values]) => param in values)
    .map(
      ([stage, values]) =>
        `${quote(/** @type {Record<string, string>} */ (values)[param] ?? '')} for the ${stage} stage`,
    );
  return stages.length > 0 ? ` (default ${stages.join(', ')})` : '';
}

function envExampleText() {
  const lines = [
    ...comment(
      'stale-iam deployment settings. Copy this file to .env, or to .env.<stage> (e.g. .env.prod) for one stage: `npm run deploy` (osls) reads .env.<stage> if it exists, else .env (useDotenv in serverless.yml). A variable set in your shell wins over the file, and --param name=value wins over both. Nothing here is a secret.',
    ),
    '#',
    ...comment(
      'Export the same file before the aws commands of docs/deploy.md, so that they use the region the stack is in:',
    ),
    '#   set -a; . ./.env; set +a',
    '#',
    '# Generated from src/settings/table.js by `npm run env-example`.',
    '',
    ...comment(
      'The AWS account (a profile of ~/.aws/config) and the region to deploy to. The SSM parameters operators change live in this region too. AWS CLI v1 reads only AWS_DEFAULT_REGION, v2 and the deployment AWS_REGION first: keep the two the same (packaging refuses a file where they differ).',
    ),
    "# AWS_PROFILE='my-admin-profile'",
    `AWS_REGION=${quote(DEFAULT_REGION)}`,
    `AWS_DEFAULT_REGION=${quote(DEFAULT_REGION)}`,
    '',
    ...comment(
      'Deploy parameters, by their own names (docs/deploy.md, "Deploy parameters"). Each commented line shows the default: uncomment it to change the value.',
    ),
  ];
  for (const setting of Object.values(SETTINGS)) {
    if (!setting.param) continue;
    lines.push('', ...comment(`${setting.description}${stageNote(setting.param)}`));
    lines.push(`# ${setting.param}=${quote(setting.default)}`);
  }
  return lines.join('\n') + '\n';
}

module.exports = { envExampleText, DEFAULT_REGION };
