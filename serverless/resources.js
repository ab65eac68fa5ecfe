'use strict';

/**
 * `resources:` for serverless.yml: the operators' topic, the report bucket, the run-time settings in
 * SSM Parameter Store, and one least-privilege role per function plus one for the state machine.
 *
 * With `--param remediation=false` (the default) nothing here can remove or deactivate a
 * credential: the disable role and the remediation parameters are not generated at all.
 */

const {
  FUNCTION_KEYS,
  LOGICAL_IDS,
  readSettings,
  arn,
  parameterArn,
  bucketObjectsArn,
  wholeNumber,
} = require('./settings');

const IAM_USERS = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:user/*' };
const EXEMPT_TAG_KEY = 'stale-iam:exempt';

/* ----------------------------------------------------------------------------- deploy parameters */

function emailOrEmpty(raw) {
  const text = raw == null ? '' : String(raw).trim();
  if (text !== '' && !/^[^\s@]+@[^\s@]+$/.test(text)) {
    throw new Error(
      `the deploy parameter "notificationEmail" must be an email address or empty, got "${raw}"`,
    );
  }
  return text;
}

/** `/breakglass/,/admins/` -> ['/breakglass/', '/admins/'] */
function listParam(raw) {
  return String(raw ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/* --------------------------------------------------------------------------------------- roles */

function lambdaRole({ functionKey, settings, statements }) {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      Description: `Runs the ${settings.functionName(functionKey)} function (stale-iam); only what it calls`,
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'lambda.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      },
      Policies: [
        {
          PolicyName: settings.functionName(functionKey),
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [writeOwnLogs(settings.logGroupName(functionKey)), ...statements],
          },
        },
      ],
    },
  };
}

/**
 * The AWSLambdaBasicExecutionRole part, narrowed to the function's own log group. The framework
 * creates that log group in the template (with its retention), so CreateLogGroup is not needed.
 */
function writeOwnLogs(logGroupName) {
  return {
    Sid: 'WriteOwnLogs',
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: arn('logs', `log-group:${logGroupName}:*`),
  };
}

/**
 * The scan only reads. Exemptions (every user's path, tags and groups) come from one paged
 * GetAccountAuthorizationDetails call (Filter User), not from two calls per user. The scan reads
 * only the threshold from SSM, with or without remediation: what to do is the disable step's concern.
 */
function scanRole(settings) {
  return lambdaRole({
    functionKey: 'scan',
    settings,
    statements: [
      ...(settings.scanSource === 'api'
        ? [
            {
              // No resource type in the IAM service authorization reference: `*` only.
              Sid: 'ListUsersAndReadExemptions',
              Effect: 'Allow',
              Action: ['iam:ListUsers', 'iam:GetAccountAuthorizationDetails'],
              Resource: '*',
            },
            {
              // GetUser tells a user deleted mid-scan from one without a password (see iam-reads.ts).
              Sid: 'ReadUserCredentials',
              Effect: 'Allow',
              Action: [
                'iam:GetLoginProfile',
                'iam:ListAccessKeys',
                'iam:GetAccessKeyLastUsed',
                'iam:GetUser',
              ],
              Resource: IAM_USERS,
            },
          ]
        : [
            {
              // No resource type in the IAM service authorization reference: `*` only.
              Sid: 'ReadCredentialReportAndExemptions',
              Effect: 'Allow',
              Action: [
                'iam:GenerateCredentialReport',
                'iam:GetCredentialReport',
                'iam:GetAccountAuthorizationDetails',
              ],
              Resource: '*',
            },
          ]),
      {
        // @middy/ssm reads parameters with GetParameters (batches of up to 10 names).
        Sid: 'ReadSettings',
        Effect: 'Allow',
        Action: ['ssm:GetParameters'],
        Resource: [parameterArn(settings.parameterNames.thresholdDays)],
      },
      {
        Sid: 'WriteReports',
        Effect: 'Allow',
        Action: ['s3:PutObject'],
        Resource: bucketObjectsArn('reports/'),
      },
    ],
  });
}

function notifyRole(settings) {
  return lambdaRole({
    functionKey: 'notify',
    settings,
    statements: [
      {
        Sid: 'ReadReports',
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: bucketObjectsArn('reports/'),
      },
      {
        Sid: 'EmailOperators',
        Effect: 'Allow',
        Action: ['sns:Publish'],
        Resource: { Ref: LOGICAL_IDS.topic },
      },
    ],
  });
}

/**
 * The only role that may remove a credential. Besides the allows, explicit denies keep it away from
 * users tagged `stale-iam:exempt=true` and from exempt IAM paths, whatever the function's code does:
 * a second line of defence behind the handler's own exemption check. (Exempt user names and groups
 * cannot be expressed as IAM conditions; the handler enforces those.)
 */
function disableRole(settings, exemptPathPrefixes) {
  const removeActions = ['iam:DeleteLoginProfile', 'iam:UpdateAccessKey'];
  const denies = [
    {
      Sid: 'NeverTouchTaggedExemptUsers',
      Effect: 'Deny',
      Action: removeActions,
      Resource: IAM_USERS,
      Condition: { StringEqualsIgnoreCase: { [`aws:ResourceTag/${EXEMPT_TAG_KEY}`]: 'true' } },
    },
  ];
  if (exemptPathPrefixes.length > 0) {
    denies.push({
      Sid: 'NeverTouchExemptPaths',
      Effect: 'Deny',
      Action: removeActions,
      Resource: exemptPathPrefixes.map((prefix) => ({
        'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:user${prefix.startsWith('/') ? '' : '/'}${prefix}*`,
      })),
    });
  }
  return lambdaRole({
    functionKey: 'disable',
    settings,
    statements: [
      {
        Sid: 'RemoveStaleCredentials',
        Effect: 'Allow',
        Action: removeActions,
        Resource: IAM_USERS,
      },
      {
        // The live re-check of each planned user: GetUser returns its path, tags and PasswordLastUsed;
        // the others its login profile, keys and their last use, and its groups (for exemptions).
        Sid: 'RecheckBeforeActing',
        Effect: 'Allow',
        Action: [
          'iam:GetUser',
          'iam:GetLoginProfile',
          'iam:ListAccessKeys',
          'iam:GetAccessKeyLastUsed',
          'iam:ListGroupsForUser',
        ],
        Resource: IAM_USERS,
      },
      {
        Sid: 'ReadSettings',
        Effect: 'Allow',
        Action: ['ssm:GetParameters'],
        Resource: [
          parameterArn(settings.parameterNames.remediationMode),
          parameterArn(settings.parameterNames.deactivateAccessKeys),
        ],
      },
      {
        Sid: 'ReadReports',
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: bucketObjectsArn('reports/'),
      },
      {
        Sid: 'WriteAuditTrail',
        Effect: 'Allow',
        Action: ['s3:PutObject'],
        Resource: bucketObjectsArn('audit/'),
      },
      ...denies,
    ],
  });
}

/** Used by the state machine: invoke exactly its functions, and publish the failure alert. */
function stateMachineRole(settings) {
  const invoked = FUNCTION_KEYS.filter((key) => key !== 'disable' || settings.remediation);
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      Description: `Runs the ${settings.stateMachineName} state machine (stale-iam)`,
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'states.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
      Policies: [
        {
          PolicyName: settings.stateMachineName,
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'InvokeStaleIamFunctions',
                Effect: 'Allow',
                Action: ['lambda:InvokeFunction'],
                Resource: invoked.map((key) => ({ 'Fn::GetAtt': [LOGICAL_IDS.lambdaOf(key), 'Arn'] })),
              },
              {
                Sid: 'AlertOperatorsOnFailure',
                Effect: 'Allow',
                Action: ['sns:Publish'],
                Resource: { Ref: LOGICAL_IDS.topic },
              },
            ],
          },
        },
      ],
    },
  };
}

/* ------------------------------------------------------------------------------ the other parts */

function topic(settings) {
  return {
    Type: 'AWS::SNS::Topic',
    Properties: { TopicName: `${settings.service}-${settings.stage}`, DisplayName: 'stale-iam' },
  };
}

function emailSubscription(notificationEmail) {
  return {
    Type: 'AWS::SNS::Subscription',
    Condition: LOGICAL_IDS.hasEmailCondition,
    Properties: {
      TopicArn: { Ref: LOGICAL_IDS.topic },
      Protocol: 'email',
      Endpoint: notificationEmail,
    },
  };
}

/**
 * Reports (and the remediation audit trail) outlive the stack: `Retain`, so removing the stack
 * leaves the bucket and its contents; delete it by hand when the audit trail is no longer needed.
 */
function reportBucket(retentionDays) {
  return {
    Type: 'AWS::S3::Bucket',
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
    Properties: {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LifecycleConfiguration: {
        Rules: [
          {
            Id: 'expire-reports-and-audit',
            Status: 'Enabled',
            ExpirationInDays: retentionDays,
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          },
        ],
      },
    },
  };
}

function tlsOnlyBucketPolicy() {
  const bucketArn = { 'Fn::GetAtt': [LOGICAL_IDS.bucket, 'Arn'] };
  return {
    Type: 'AWS::S3::BucketPolicy',
    Properties: {
      Bucket: { Ref: LOGICAL_IDS.bucket },
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [bucketArn, { 'Fn::Sub': `\${${LOGICAL_IDS.bucket}.Arn}/*` }],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      },
    },
  };
}

/** A run-time setting. CloudFormation writes `Value` on create and whenever the template's value changes. */
function stringParameter({ name, value, description }) {
  return {
    Type: 'AWS::SSM::Parameter',
    Properties: { Name: name, Type: 'String', Value: value, Description: description },
  };
}

function putParameterHint(name, example) {
  return `Change it with: aws ssm put-parameter --name ${name} --value ${example} --type String --overwrite`;
}

module.exports = async ({ resolveVariable }) => {
  const settings = await readSettings(resolveVariable);
  const { parameterNames } = settings;
  const param = (name) => resolveVariable(`param:${name}`);

  const thresholdDays = wholeNumber('thresholdDaysDefault', await param('thresholdDaysDefault'), 1, 3650);
  const retentionDays = wholeNumber('reportRetentionDays', await param('reportRetentionDays'), 1, 36500);
  const notificationEmail = emailOrEmpty(await param('notificationEmail'));
  const exemptPathPrefixes = listParam(await param('exemptPathPrefixes'));

  const Resources = {
    [LOGICAL_IDS.topic]: topic(settings),
    [LOGICAL_IDS.subscription]: emailSubscription(notificationEmail),
    [LOGICAL_IDS.bucket]: reportBucket(retentionDays),
    [LOGICAL_IDS.bucketPolicy]: tlsOnlyBucketPolicy(),
    [LOGICAL_IDS.thresholdParameter]: stringParameter({
      name: parameterNames.thresholdDays,
      value: String(thresholdDays),
      description:
        'stale-iam: days without use after which a credential is stale (whole number, 1 to 3650). ' +
        `${putParameterHint(parameterNames.thresholdDays, 60)}. The next run uses the new value; ` +
        'a redeploy overwrites it only if the thresholdDaysDefault deploy parameter changes.',
    }),
    [LOGICAL_IDS.roleOf('scan')]: scanRole(settings),
    [LOGICAL_IDS.roleOf('notify')]: notifyRole(settings),
    [LOGICAL_IDS.stateMachineRole]: stateMachineRole(settings),
  };

  if (settings.remediation) {
    Resources[LOGICAL_IDS.remediationModeParameter] = stringParameter({
      name: parameterNames.remediationMode,
      value: 'dry-run',
      description:
        'stale-iam remediation mode: dry-run (report what would be done, change nothing) or enforce ' +
        `(remove stale console passwords within the caps). ${putParameterHint(parameterNames.remediationMode, 'enforce')}.`,
    });
    Resources[LOGICAL_IDS.deactivateAccessKeysParameter] = stringParameter({
      name: parameterNames.deactivateAccessKeys,
      value: 'false',
      description:
        'stale-iam: when true (and the mode is enforce), also set stale active access keys to Inactive ' +
        `(reversible). ${putParameterHint(parameterNames.deactivateAccessKeys, 'true')}.`,
    });
    Resources[LOGICAL_IDS.roleOf('disable')] = disableRole(settings, exemptPathPrefixes);
  }

  return {
    Conditions: {
      [LOGICAL_IDS.hasEmailCondition]: { 'Fn::Not': [{ 'Fn::Equals': [notificationEmail, ''] }] },
    },
    Resources,
    Outputs: {
      ReportBucketName: {
        Description: 'S3 bucket with the reports (reports/) and the remediation audit trail (audit/)',
        Value: { Ref: LOGICAL_IDS.bucket },
      },
      NotificationTopicArn: {
        Description: 'SNS topic the operators subscribe to (reports and failure alerts)',
        Value: { Ref: LOGICAL_IDS.topic },
      },
      ThresholdDaysParameterName: {
        Description: 'SSM parameter holding the threshold in days',
        Value: parameterNames.thresholdDays,
      },
    },
  };
};
