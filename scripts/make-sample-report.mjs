#!/usr/bin/env node
/**
 * Writes examples/credential-report.csv: a synthetic IAM credential report for account 123456789012,
 * in the exact column order AWS uses, meant to be read as of 2026-11-28T00:00:00Z with the default
 * threshold of 90 days (threshold instant 2026-08-30T00:00:00Z). Every user exists to show one case;
 * the comment on each says which, and tests/examples/sample-report.test.ts checks the verdicts.
 *
 *   node scripts/make-sample-report.mjs          # rewrite the file
 *   node scripts/make-sample-report.mjs --check  # exit 1 if the file differs from what this writes
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ACCOUNT = '123456789012';
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'credential-report.csv');

/** The columns of a real credential report, in AWS's order (shared with the tests). */
const HEADER = JSON.parse(
  readFileSync(
    join(dirname(fileURLToPath(import.meta.url)), '..', 'tools', 'fakes', 'credential-report-columns.json'),
    'utf8',
  ),
);

/** `2026-04-11 18:45:05` -> `2026-04-11T18:45:05+00:00`, the report's own format. */
const ts = (text) => `${text.replace(' ', 'T')}+00:00`;

/**
 * pw: { used: date | null (never used), changed: date }   a console password (login profile)
 * gone: date | undefined                                     login profile deleted; password_last_used survives
 * k1/k2: { active, rotated, used: date | null, where: [region, service] }
 */
const USERS = [
  // --- console users, password used recently: active
  {
    name: 'alice.tanaka',
    created: '2021-02-03 01:22:10',
    mfa: true,
    pw: { used: '2026-11-25 08:14:22', changed: '2025-06-10 02:40:11' },
  },
  {
    name: 'hiroshi.yamamoto',
    created: '2020-09-14 05:03:48',
    mfa: true,
    pw: { used: '2026-11-20 23:51:07', changed: '2026-03-02 00:12:55' },
  },
  {
    name: 'yuki.nakamura',
    created: '2022-04-01 00:30:12',
    mfa: true,
    pw: { used: '2026-10-30 09:02:33', changed: '2026-04-01 07:45:20' },
  },
  {
    name: 'bob.martinez',
    created: '2023-01-09 16:20:00',
    mfa: false,
    pw: { used: '2026-09-15 13:44:51', changed: '2023-01-09 16:20:05' },
  },
  {
    name: 'ren.suzuki@example.com',
    created: '2024-11-18 02:11:36',
    mfa: true,
    pw: { used: '2026-11-27 04:58:09', changed: '2025-11-18 03:00:42' },
  },
  // exactly at the threshold instant: not stale
  {
    name: 'tomo.fujii',
    created: '2022-07-21 06:18:29',
    mfa: true,
    pw: { used: '2026-08-30 00:00:00', changed: '2024-07-21 06:20:01' },
  },
  // never-used password set yesterday on a user created in 2020: aged from the password, not the user
  {
    name: 'haruka.kobayashi',
    created: '2020-05-11 03:27:45',
    mfa: false,
    pw: { used: null, changed: '2026-11-27 16:05:40' },
  },
  // password reset after its last use: as fresh as the reset
  {
    name: 'ryo.matsumoto',
    created: '2021-10-04 08:09:10',
    mfa: true,
    pw: { used: '2026-01-10 10:31:02', changed: '2026-11-01 12:00:37' },
  },

  // --- console users, password idle: stale
  {
    name: 'mika.sato',
    created: '2019-11-20 04:15:33',
    mfa: true,
    pw: { used: '2026-03-02 11:47:15', changed: '2024-01-15 09:30:00' },
  },
  {
    name: 'kenji.watanabe',
    created: '2020-02-26 07:55:19',
    mfa: false,
    pw: { used: '2025-11-03 22:10:48', changed: '2022-02-26 08:00:03' },
  },
  {
    name: 'd.okafor',
    created: '2023-05-15 14:02:27',
    mfa: false,
    pw: { used: '2024-07-19 17:26:54', changed: '2023-05-15 14:05:12' },
  },
  // one second before the threshold instant: stale
  {
    name: 'sara.lindqvist',
    created: '2022-08-08 10:10:10',
    mfa: true,
    pw: { used: '2026-08-29 23:59:59', changed: '2025-08-08 10:11:29' },
  },
  // never-used password set long ago: stale, aged from when it was set
  {
    name: 'takeshi.ito',
    created: '2025-12-01 01:44:08',
    mfa: false,
    pw: { used: null, changed: '2025-12-01 01:44:10' },
  },
  {
    name: 'emma.kowalski',
    created: '2024-06-03 12:00:51',
    mfa: false,
    pw: { used: null, changed: '2024-06-03 12:01:06' },
  },
  {
    name: 'breakglass-admin',
    created: '2019-03-14 09:40:02',
    mfa: true,
    pw: { used: null, changed: '2024-03-20 15:18:44' },
  },

  // --- login profile removed, PasswordLastUsed kept: no password credential
  { name: 'james.oconnor', created: '2021-06-28 11:36:20', mfa: false, gone: '2025-02-14 08:21:39' },
  {
    name: 'daniel.kim',
    created: '2020-11-02 19:05:55',
    mfa: false,
    gone: '2023-09-08 06:44:12',
    k1: {
      active: true,
      rotated: '2025-04-22 03:10:09',
      used: '2026-11-26 21:33:40',
      where: ['us-west-2', 'ecr'],
    },
  },

  // --- key-only service users
  {
    name: 'ci-deploy',
    created: '2021-01-19 02:00:14',
    k1: {
      active: true,
      rotated: '2026-07-01 02:15:30',
      used: '2026-11-27 23:12:05',
      where: ['ap-northeast-1', 'cloudformation'],
    },
  },
  // key 2 stale while key 1 is fresh: active, holding a stale credential
  {
    name: 'terraform',
    created: '2020-03-30 05:55:21',
    k1: {
      active: true,
      rotated: '2026-05-14 06:00:00',
      used: '2026-11-26 07:41:19',
      where: ['us-east-1', 'sts'],
    },
    k2: {
      active: true,
      rotated: '2025-05-14 06:02:45',
      used: '2026-06-01 18:09:33',
      where: ['us-east-1', 'iam'],
    },
  },
  // key 1 stale while key 2 is fresh (a rotation half done): active, holding a stale credential
  {
    name: 'github-actions',
    created: '2022-02-10 13:13:13',
    k1: {
      active: true,
      rotated: '2024-02-10 13:20:00',
      used: '2026-05-01 04:12:48',
      where: ['ap-northeast-1', 's3'],
    },
    k2: {
      active: true,
      rotated: '2026-08-15 01:01:01',
      used: '2026-11-27 15:30:27',
      where: ['ap-northeast-1', 's3'],
    },
  },
  // key 2 never used, created recently, key 1 in use: active
  {
    name: 'monitoring-bot',
    created: '2023-09-19 08:30:44',
    k1: {
      active: true,
      rotated: '2024-09-19 08:31:02',
      used: '2026-11-27 18:00:11',
      where: ['eu-west-1', 'cloudwatch'],
    },
    k2: { active: true, rotated: '2026-11-25 10:42:57', used: null },
  },
  {
    name: 'backup-agent',
    created: '2021-08-05 00:05:05',
    k1: {
      active: true,
      rotated: '2021-08-05 00:06:17',
      used: '2026-04-18 03:00:02',
      where: ['ap-northeast-1', 's3'],
    },
  },
  {
    name: 'legacy-etl',
    created: '2019-06-12 22:47:31',
    k1: {
      active: true,
      rotated: '2019-06-12 22:48:00',
      used: '2025-01-30 02:14:56',
      where: ['us-east-1', 'redshift'],
    },
  },
  // never-used key created long ago: stale, aged from its creation
  {
    name: 'grafana-reader',
    created: '2025-10-10 06:27:19',
    k1: { active: true, rotated: '2025-10-10 06:29:40', used: null },
  },
  // never-used key created recently: active
  {
    name: 'datadog-integration',
    created: '2026-11-20 09:15:08',
    k1: { active: true, rotated: '2026-11-20 09:16:22', used: null },
  },
  // both keys idle: stale
  {
    name: 'sftp-ingest',
    created: '2020-12-01 04:04:04',
    k1: {
      active: true,
      rotated: '2022-12-01 04:10:00',
      used: '2026-02-11 19:58:37',
      where: ['ap-northeast-1', 's3'],
    },
    k2: {
      active: true,
      rotated: '2023-12-01 04:10:00',
      used: '2025-12-24 06:02:19',
      where: ['ap-northeast-1', 'transfer'],
    },
  },
  // old inactive key 1 does not count; active key 2 is in use: active
  {
    name: 's3-log-shipper',
    created: '2022-11-11 11:11:11',
    k1: {
      active: false,
      rotated: '2022-11-11 11:12:40',
      used: '2023-05-01 00:00:19',
      where: ['us-east-1', 's3'],
    },
    k2: {
      active: true,
      rotated: '2023-05-01 09:20:14',
      used: '2026-11-27 22:59:30',
      where: ['us-east-1', 's3'],
    },
  },
  // only an old inactive key: no credential that counts
  {
    name: 'old-jenkins',
    created: '2018-04-02 02:02:02',
    k1: {
      active: false,
      rotated: '2018-04-02 02:05:31',
      used: '2022-12-01 16:48:03',
      where: ['us-east-1', 'ec2'],
    },
  },

  // --- console and keys
  // password idle, key in use: active, holding a stale credential
  {
    name: 'kaito.shimizu',
    created: '2021-04-15 00:45:09',
    mfa: true,
    pw: { used: '2026-02-14 07:07:07', changed: '2025-04-15 00:47:30' },
    k1: {
      active: true,
      rotated: '2025-09-01 12:34:56',
      used: '2026-11-26 11:05:48',
      where: ['ap-northeast-1', 'lambda'],
    },
  },
  // password in use, key idle: active, holding a stale credential
  {
    name: 'nina.petrova',
    created: '2022-03-08 15:38:27',
    mfa: true,
    pw: { used: '2026-11-24 08:55:01', changed: '2026-03-08 15:40:00' },
    k1: {
      active: true,
      rotated: '2022-03-08 15:41:22',
      used: '2026-01-05 10:16:43',
      where: ['eu-central-1', 'dynamodb'],
    },
  },
  // both in use: active
  {
    name: 'priya.raman',
    created: '2023-07-24 05:50:35',
    mfa: true,
    pw: { used: '2026-11-27 02:20:18', changed: '2026-07-24 05:52:10' },
    k1: {
      active: true,
      rotated: '2026-07-24 05:53:44',
      used: '2026-11-22 14:39:26',
      where: ['us-east-1', 'sqs'],
    },
  },
  // both idle: stale
  {
    name: 'olivia.chen',
    created: '2020-10-20 20:20:20',
    mfa: false,
    pw: { used: '2025-10-02 09:18:37', changed: '2020-10-20 20:22:48' },
    k1: {
      active: true,
      rotated: '2020-10-20 20:25:01',
      used: '2025-09-30 23:40:15',
      where: ['us-west-2', 'ec2'],
    },
  },

  // --- no credentials at all
  { name: 'readonly-auditor', created: '2023-02-14 09:00:00' },
  { name: 'platform-viewer', created: '2024-08-19 03:33:21' },
  // moved to IAM Identity Center: password removed before it was ever used, keys deleted
  { name: 'aoi.hayashi', created: '2021-12-13 06:06:41' },
  { name: 'lambda-deployer', created: '2025-03-03 03:03:03' },
];

const NO_KEY = ['false', 'N/A', 'N/A', 'N/A', 'N/A'];

function keyColumns(key) {
  if (!key) return NO_KEY;
  const [region, service] = key.used ? key.where : ['N/A', 'N/A'];
  return [String(key.active), ts(key.rotated), key.used ? ts(key.used) : 'N/A', region, service];
}

function passwordColumns(user) {
  if (user.pw) {
    return ['true', user.pw.used ? ts(user.pw.used) : 'no_information', ts(user.pw.changed), 'N/A'];
  }
  // No login profile: password_last_used is N/A unless the user once signed in with a deleted password.
  return ['false', user.gone ? ts(user.gone) : 'N/A', 'N/A', 'N/A'];
}

function userRow(user) {
  return [
    user.name,
    `arn:aws:iam::${ACCOUNT}:user/${user.name}`,
    ts(user.created),
    ...passwordColumns(user),
    String(user.mfa ?? false),
    ...keyColumns(user.k1),
    ...keyColumns(user.k2),
    'false',
    'N/A',
    'false',
    'N/A',
  ];
}

const ROOT = [
  '<root_account>',
  `arn:aws:iam::${ACCOUNT}:root`,
  ts('2019-03-14 09:12:44'),
  'not_supported',
  ts('2026-10-02 07:31:18'),
  'not_supported',
  'not_supported',
  'true',
  ...NO_KEY,
  ...NO_KEY,
  'false',
  'N/A',
  'false',
  'N/A',
];

const rows = [HEADER, ROOT, ...USERS.map(userRow)];
for (const row of rows) {
  if (row.length !== HEADER.length)
    throw new Error(`${row[0]}: ${row.length} columns, expected ${HEADER.length}`);
}
const csv = rows.map((row) => row.join(',')).join('\n') + '\n';

if (process.argv.includes('--check')) {
  if (readFileSync(OUT, 'utf8') !== csv) {
    console.error(`${OUT} is out of date: run node scripts/make-sample-report.mjs`);
    process.exit(1);
  }
} else {
  writeFileSync(OUT, csv);
  console.log(`wrote ${USERS.length} users to ${OUT}`);
}
