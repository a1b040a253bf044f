// Log alert on Application Insights: fires when any ACMS job run fails or a timer
// function errors. Three signals are unioned:
//   * traces    - the app logs "Job {Job} run {RunId} failed" on every failed run;
//   * requests  - timer invocations (DecayTimer, DedupTimer, ...) with success == false;
//   * exceptions raised inside a timer invocation.
// The rule is always created (it shows in Azure Monitor > Alerts). The action group,
// i.e. the e-mail notification, is created only when alertEmail is not empty.
//
// Jobs that silently stop (a disabled timer, a broken schedule) raise no failure, so a second
// rule watches health: a standard availability test calls the anonymous GET /api/health every
// 15 minutes from three regions; the app answers 503 when a job has not succeeded within two
// scheduled periods (or the database, migrations or topic extraction lag are not right) and logs
// "Health: job {Job} is unhealthy: {Reason}" for each late job. The rule fires on either signal.

@description('Azure region of the alert rule (the Application Insights region).')
param location string

@description('Tags applied to the resources.')
param tags object

@description('Resource id of the Application Insights component to query.')
param applicationInsightsId string

@description('Name prefix for the alert resources.')
param namePrefix string

@description('E-mail address notified when the alert fires; empty = no action group.')
param alertEmail string

@description('How often the rule runs and the look-back window, ISO 8601 (e.g. PT15M).')
param evaluationFrequency string

@description('Host name of the function app (its anonymous /api/health is probed).')
param functionAppHostName string

@description('Seconds between availability probes of /api/health from each location.')
@allowed([300, 600, 900])
param healthProbeFrequency int = 900

var notify = !empty(alertEmail)

var failureQuery = '''
let failedRuns = traces
    | where message matches regex @"^Job \S+ run \S+ failed"
        or tostring(customDimensions["{OriginalFormat}"]) == "Job {Job} run {RunId} failed"
    | extend Job = coalesce(tostring(customDimensions["Job"]), tostring(customDimensions["prop__Job"]), extract(@"^Job (\S+) ", 1, message))
    | project timestamp, Job, Signal = "job-run-failed";
let failedTimers = requests
    | where success == false and name endswith "Timer"
    | project timestamp, Job = name, Signal = "timer-failed";
let timerExceptions = exceptions
    | where operation_Name endswith "Timer"
    | project timestamp, Job = operation_Name, Signal = "timer-exception";
union failedRuns, failedTimers, timerExceptions
'''

// availabilityResults.name is the test's Name below.
var healthTestName = 'acms-health'

var lateQuery = '''
let lateJobs = traces
    | where tostring(customDimensions["{OriginalFormat}"]) == "Health: job {Job} is unhealthy: {Reason}"
        or message matches regex @"^Health: job \S+ is unhealthy"
    | extend Job = coalesce(tostring(customDimensions["Job"]), tostring(customDimensions["prop__Job"]), extract(@"^Health: job (\S+) ", 1, message))
    | project timestamp, Job, Signal = "job-late";
let failedProbes = availabilityResults
    | where name == "acms-health" and success == false
    | project timestamp, Job = "health", Signal = "health-probe-failed";
union lateJobs, failedProbes
'''

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (notify) {
  name: 'ag-${namePrefix}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'acmsjobs'
    enabled: true
    emailReceivers: [
      {
        name: 'job-failures'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

resource jobFailureAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-${namePrefix}-job-failed'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'ACMS Jobs: job run or timer function failed'
    description: 'A background job logged "Job {Job} run {RunId} failed", a timer function invocation failed, or a timer function threw.'
    severity: 2
    enabled: true
    scopes: [
      applicationInsightsId
    ]
    evaluationFrequency: evaluationFrequency
    windowSize: evaluationFrequency
    criteria: {
      allOf: [
        {
          query: failureQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: [
            {
              name: 'Job'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: false
    actions: {
      actionGroups: notify ? [actionGroup.id] : []
    }
  }
}

resource healthTest 'Microsoft.Insights/webtests@2022-06-15' = {
  name: 'webtest-${namePrefix}-health'
  location: location
  // The portal lists a test under its Application Insights resource through this tag.
  tags: union(tags, { 'hidden-link:${applicationInsightsId}': 'Resource' })
  kind: 'standard'
  properties: {
    SyntheticMonitorId: 'webtest-${namePrefix}-health'
    Name: healthTestName
    Description: 'GET /api/health (anonymous) must answer 200: 503 means a job is late, the database is unreachable, migrations are pending or topic extraction lags.'
    Enabled: true
    Frequency: healthProbeFrequency
    Timeout: 60
    Kind: 'standard'
    RetryEnabled: true
    Locations: [
      { Id: 'us-va-ash-azr' }
      { Id: 'emea-nl-ams-azr' }
      { Id: 'apac-sg-sin-azr' }
    ]
    Request: {
      RequestUrl: 'https://${functionAppHostName}/api/health'
      HttpVerb: 'GET'
      ParseDependentRequests: false
      FollowRedirects: false
    }
    ValidationRules: {
      ExpectedHttpStatusCode: 200
      SSLCheck: true
      SSLCertRemainingLifetimeCheck: 7
    }
  }
}

resource jobLateAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: 'alert-${namePrefix}-job-late'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'ACMS Jobs: a job did not succeed within two scheduled periods, or health failed'
    description: 'GET /api/health reported a job whose last success is older than two scheduled periods ("Health: job {Job} is unhealthy"), or the availability test of /api/health failed (503 or no answer).'
    severity: 2
    enabled: true
    scopes: [
      applicationInsightsId
    ]
    evaluationFrequency: evaluationFrequency
    windowSize: evaluationFrequency
    criteria: {
      allOf: [
        {
          query: lateQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: [
            {
              name: 'Job'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: false
    actions: {
      actionGroups: notify ? [actionGroup.id] : []
    }
  }
}

output alertRuleName string = jobFailureAlert.name
output lateAlertRuleName string = jobLateAlert.name
output healthTestName string = healthTest.name
output actionGroupCreated bool = notify
