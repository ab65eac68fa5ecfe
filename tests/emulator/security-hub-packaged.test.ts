import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateLoginProfileCommand, CreateUserCommand } from '@aws-sdk/client-iam';
import {
  BatchImportFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { staleCredentialFindings } from '../../src/domain/findings/plan';
import { INVOKE_LOCAL_TIMEOUT_MS, runInvokeLocal } from '../support/invoke-local';
import { buildReport, password, staleUser } from '../support/report-builder';
import { DEFAULT_ACCOUNT_ID, REGION, cliEnvironment, clientConfig, iamClient } from './support/aws';
import { describeWithEmulator, useMoto } from './support/moto';

/**
 * The packaged service deployed with securityHub=true, run by `npm run invoke-local` (the zips osls
 * builds, through the compiled state machine) against moto: the bundled findings function reads
 * the report the scan wrote, finds our active finding of a user who no longer exists through
 * GetFindings, archives it, and the operators' email says so.
 */

interface ScriptRecord {
  status: string;
  steps: { state: string; output?: Record<string, unknown>; error?: string }[];
}

/** What SNS in moto holds: [messageId, message, subject, ...] per publish. */
async function publishedMessages(endpoint: string): Promise<string[]> {
  const data = (await (await fetch(`${endpoint}/moto-api/data.json`)).json()) as {
    sns?: { Topic?: { sent_notifications?: unknown[][] }[] };
  };
  return (data.sns?.Topic ?? []).flatMap((t) => (t.sent_notifications ?? []).map((n) => String(n[1])));
}

describeWithEmulator('the packaged service with securityHub=true against the emulator', () => {
  const moto = useMoto();

  it(
    'runs Scan, Findings, Render and Notify from the real zips: the finding of a deleted user is archived and the email says so',
    async () => {
      const { endpoint } = moto.current;
      await moto.current.reset();
      const iam = iamClient(endpoint);
      await iam.send(new CreateUserCommand({ UserName: 'present' }));
      await iam.send(new CreateLoginProfileCommand({ UserName: 'present', Password: 'Emulator-Passw0rd!' }));
      const securityHub = new SecurityHubClient(clientConfig(endpoint));
      // Yesterday's finding of a user that has been deleted since.
      const [gone] = staleCredentialFindings(buildReport([staleUser('gone', password(200))]), {
        identity: { accountId: DEFAULT_ACCOUNT_ID, region: REGION, partition: 'aws' },
        now: new Date('2026-11-27T00:10:00.000Z'),
      });
      await securityHub.send(new BatchImportFindingsCommand({ Findings: gone ? [gone] : [] }));

      const dir = mkdtempSync(path.join(tmpdir(), 'stale-iam-sh-'));
      const run = await runInvokeLocal<ScriptRecord>(
        ['--setup', '--param', 'securityHub=true', '--param', 'notifyWhenClean=true'],
        { ...cliEnvironment(endpoint), POWERTOOLS_LOG_LEVEL: 'WARN' },
        path.join(dir, 'run.json'),
      ).finally(() => rmSync(dir, { recursive: true, force: true }));

      if (run.code !== 0) throw new Error(`invoke-local exited with ${run.code}:\n${run.stderr}`);
      expect(run.record.steps.map((s) => s.state)).toEqual(['Scan', 'Findings', 'Render', 'Notify']);
      // The render zip wrote its page into moto's S3 beside the report.
      expect(run.record.steps[2]?.output).toEqual({
        bucket: expect.any(String),
        key: expect.stringMatching(/^reports\/\d{12}\/.*\.html$/),
      });
      expect(run.record.steps[1]?.output?.findings).toEqual(
        expect.objectContaining({ status: 'imported', created: 0, updated: 0, resolved: 1, failed: 0 }),
      );
      const { Findings = [] } = await securityHub.send(new GetFindingsCommand({}));
      expect(
        Findings.map((f) => [
          f.Id,
          f.RecordState,
          f.Compliance?.Status,
          f.ProductFields?.['stale-iam/Resolution'],
        ]),
      ).toEqual([[`stale-iam/${DEFAULT_ACCOUNT_ID}/gone/password`, 'ARCHIVED', 'PASSED', 'user-removed']]);
      const [email] = await publishedMessages(endpoint);
      expect(email).toContain('0 new, 0 updated, 1 resolved (archived as passed), 0 refused');
    },
    INVOKE_LOCAL_TIMEOUT_MS + 60_000,
  );
});
