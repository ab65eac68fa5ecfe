'use strict';

const { LOGICAL_IDS } = require('../names');

/** @param {import('../deployment').Deployment} deployment */
function topic({ names }) {
  return {
    Type: 'AWS::SNS::Topic',
    Properties: { TopicName: `${names.service}-${names.stage}`, DisplayName: 'stale-iam' },
  };
}

/** Exists only when `notificationEmail` is set (the condition in resources.js). */
/** @param {import('../deployment').Deployment} deployment */
function emailSubscription({ settings }) {
  return {
    Type: 'AWS::SNS::Subscription',
    Condition: LOGICAL_IDS.hasEmailCondition,
    Properties: {
      TopicArn: { Ref: LOGICAL_IDS.topic },
      Protocol: 'email',
      Endpoint: settings.notificationEmail,
    },
  };
}

module.exports = { topic, emailSubscription };
