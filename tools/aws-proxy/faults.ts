/**
 * Error answers as the query-protocol services (IAM, STS) send them: HTTP status and an XML
 * ErrorResponse whose Code the SDK turns into the error's name.
 */

export interface ProxyAnswer {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
}

const NAMESPACES: Record<string, string> = {
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
};

export function queryError(service: string, status: number, code: string, message: string): ProxyAnswer {
  const escaped = message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return {
    status,
    contentType: 'text/xml',
    body:
      `<ErrorResponse xmlns="${NAMESPACES[service] ?? ''}"><Error><Type>Sender</Type><Code>${code}</Code>` +
      `<Message>${escaped}</Message></Error><RequestId>stale-iam-proxy</RequestId></ErrorResponse>`,
  };
}

/** STS's answer when the role is missing or its trust policy does not name the caller. */
export function assumeRoleDenied(
  roleArn: string,
  caller = 'arn:aws:sts::123456789012:assumed-role/ScanMemberRole/scan',
): ProxyAnswer {
  return queryError(
    'sts',
    403,
    'AccessDenied',
    `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
  );
}

/** IAM's answer to a call the role's policy does not allow. */
export function iamDenied(action: string, principal: string): ProxyAnswer {
  return queryError(
    'iam',
    403,
    'AccessDenied',
    `User: ${principal} is not authorized to perform: iam:${action} on resource: *`,
  );
}
