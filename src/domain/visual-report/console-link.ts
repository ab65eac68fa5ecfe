/**
 * The link the email gives to the visual report: the object's page in the S3 console. It never
 * expires (a presigned URL made with the notify function's role credentials would die with that
 * role session, within hours), it grants nothing by itself (the reader signs in to the console
 * with their own permissions, and the bucket stays private), and the console's "Open" button then
 * shows the page. docs/visual-report.md explains the choice.
 *
 * Only for the commercial partition's regions, whose console address is known; elsewhere (China,
 * GovCloud, ISO) the email keeps the s3:// address alone rather than a guessed link.
 */
export function s3ConsoleObjectUrl(bucket: string, key: string, region: string | undefined): string | null {
  if (
    !region ||
    !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region) ||
    /^(cn|us-gov|us-iso[a-z]*|eu-isoe)-/.test(region)
  ) {
    return null;
  }
  return `https://s3.console.aws.amazon.com/s3/object/${encodeURIComponent(bucket)}?region=${region}&prefix=${encodeURIComponent(key)}`;
}
