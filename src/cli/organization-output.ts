import type {
  OrganizationReportHead,
  OrganizationSummary,
  TextSink,
} from '../domain/organization/organization-report';
import type { MemberScan } from '../domain/organization/scan-member-account';
import { organizationView, type ViewUser } from '../domain/visual-report/report-view';
import { escapeJsonText } from '../lib/safe-text';
import { formatReportHtml } from './format-html';
import { OrganizationTable } from './format-organization-table';
import type { CliIo } from './io';
import type { ScanCommand } from './scan-command';

/**
 * Where `stale-iam scan --organization` writes, per format. The organisation report itself is
 * always written by the service's OrganizationReportWriter, into the sinks here:
 * - `json`: its JSON text to stdout as it is written (one document, one line), the CSV nowhere;
 * - `csv`: its CSV to stdout as it is written, the JSON nowhere;
 * - `table`: neither; each account's table as the account comes in, the organisation's at the end;
 * - `html`: neither; the page needs every user at once (its table holds them all), so the users
 *   are kept and the page is written at the end: this format's memory grows with the organisation.
 */
export interface OrganizationOutput {
  readonly sinks: { readonly json: TextSink; readonly csv: TextSink };
  /** Before the first account. */
  begin(head: OrganizationReportHead, accounts: number): Promise<void>;
  /** Each account, in report order, once the writer has it. */
  account(scan: MemberScan): Promise<void>;
  /** After the writer has closed the report. */
  end(summary: OrganizationSummary): Promise<void>;
}

export type OrganizationFormat = Exclude<ScanCommand['format'], 'asff'>;

const nowhere: TextSink = { write: async () => undefined };

/** Writes to stdout, waiting for it to drain when it asks to (a slow pipe slows the scan, not memory). */
export function stdoutSink(io: CliIo, transform: (text: string) => string = (text) => text): TextSink {
  return {
    write: async (text) => {
      const flushed = io.stdout.write(transform(text));
      const { once } = io.stdout;
      if (flushed === false && once)
        await new Promise<void>((resolve) => once.call(io.stdout, 'drain', resolve));
    },
  };
}

export function organizationOutput(
  format: OrganizationFormat,
  command: Pick<ScanCommand, 'statuses' | 'exemptions'>,
  io: CliIo,
): OrganizationOutput {
  const out = stdoutSink(io);
  const none = { begin: async () => undefined, account: async () => undefined };
  switch (format) {
    case 'json':
      // JSON.stringify escapes C0 controls; the other characters a terminal acts on become \u escapes too.
      return {
        sinks: { json: stdoutSink(io, escapeJsonText), csv: nowhere },
        ...none,
        end: () => out.write('\n'),
      };
    case 'csv':
      // Every cell goes through csvCell, which shows unsafe characters escaped.
      return { sinks: { json: nowhere, csv: out }, ...none, end: async () => undefined };
    case 'table': {
      const table = new OrganizationTable({
        statuses: command.statuses,
        exemptions: command.exemptions.description,
      });
      return {
        sinks: { json: nowhere, csv: nowhere },
        begin: (head, accounts) => out.write(table.heading(head, accounts)),
        account: (scan) => out.write(table.account(scan)),
        end: (summary) => out.write(table.closing(summary)),
      };
    }
    case 'html': {
      const users: ViewUser[] = [];
      return {
        sinks: { json: nowhere, csv: nowhere },
        begin: async () => undefined,
        account: async (scan) => {
          if (scan.status === 'scanned') {
            for (const user of scan.report.users) users.push({ accountId: scan.account.accountId, ...user });
          }
        },
        end: async (summary) => out.write(await formatReportHtml(organizationView(summary, users))),
      };
    }
  }
}
