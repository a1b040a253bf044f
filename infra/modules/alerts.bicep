// Log alert on Application Insights: fires when any ACMS job run fails or a timer
// function errors. Three signals are unioned:
//   * traces    - the app logs "Job {Job} run {RunId} failed" on every failed run;
//   * requests  - timer invocations (DecayTimer, DedupTimer, ...) with success == false;
//   * exceptions raised inside a timer invocation.
// The rule is always created (it shows in Azure Monitor > Alerts). The action group,
// i.e. the e-mail notification, is created only when alertEmail is not empty.

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

output alertRuleName string = jobFailureAlert.name
output actionGroupCreated bool = notify
