// ACMS Jobs - Azure infrastructure (azd, subscription scope).
//
// Creates resource group rg-<environmentName> with:
//   * a user-assigned managed identity used for every connection (no keys, no passwords);
//   * host storage (shared-key access off) + Flex Consumption deployment container;
//   * Log Analytics + Application Insights (local auth off);
//   * PostgreSQL Flexible Server 16 with Entra-only authentication and database `acms`;
//   * the Flex Consumption (FC1) .NET 10 isolated function app and its app settings;
//   * a log alert on failed job runs / timer functions (+ e-mail action group, optional).
// After provisioning, infra/hooks/postprovision.sh creates the identity's PostgreSQL
// role and runs the database migration.

targetScope = 'subscription'

@minLength(1)
@maxLength(48)
@description('azd environment name; used for the resource group name and the resource-name token.')
param environmentName string

@minLength(1)
@description('Azure region for all resources; must offer Flex Consumption.')
param location string

@description('Object id of the deploying principal (azd sets AZURE_PRINCIPAL_ID); becomes the PostgreSQL Entra administrator.')
param principalId string

@description('Name of the deploying principal: UPN of a user, display name of a group or service principal (the preprovision hook sets AZURE_PRINCIPAL_NAME).')
param principalName string

@description('Type of the deploying principal.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param principalType string = 'User'

// PostgreSQL ---------------------------------------------------------------
@description('PostgreSQL compute SKU. Standard_B1ms (Burstable) is the cheapest always-on option.')
param postgresSkuName string = 'Standard_B1ms'

@description('PostgreSQL compute tier; must match postgresSkuName.')
@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param postgresSkuTier string = 'Burstable'

@description('PostgreSQL storage in GiB.')
@minValue(32)
param postgresStorageSizeGB int = 32

@description('Allow Azure services (0.0.0.0 rule). Needed by the Flex Consumption app unless it is VNet-integrated.')
param postgresAllowAzureServices bool = true

@description('Optional client IPv4 (range start) allowed through the PostgreSQL firewall, e.g. the deployer, so the postprovision hook can connect. Empty = none.')
param postgresClientIpStart string = ''

@description('Client IPv4 range end; empty = same as postgresClientIpStart.')
param postgresClientIpEnd string = ''

// Function app --------------------------------------------------------------
@description('Flex Consumption instance memory in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Flex Consumption maximum instance count.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('NCRONTAB (six fields, UTC) for the decay job.')
param decaySchedule string = '0 0 3 * * *'

@description('NCRONTAB (six fields, UTC) for the dedup job.')
param dedupSchedule string = '0 0 4 * * 0'

@description('NCRONTAB (six fields, UTC) for the cleanup job.')
param cleanupSchedule string = '0 0 5 * * 0'

@description('NCRONTAB (six fields, UTC) for the topic extraction job.')
param topicExtractionSchedule string = '0 0 * * * *'

@description('NCRONTAB (six fields, UTC) for the insight generation job.')
param insightGenerationSchedule string = '0 0 2 * * *'

@description('NCRONTAB (six fields, UTC) for the weekly report job.')
param weeklyReportSchedule string = '0 0 6 * * 1'

@description('Optional Azure OpenAI endpoint for topic extraction (empty = LLM off). The identity needs "Cognitive Services OpenAI User" on that resource.')
param azureOpenAIEndpoint string = ''

@description('Optional Azure OpenAI deployment name for topic extraction (empty = LLM off).')
param azureOpenAIDeployment string = ''

// Sign-in -------------------------------------------------------------------
@description('Client (application) id of the Microsoft Entra ID app registration for user sign-in (App Service authentication). Empty = sign-in off: only the function-key routes serve data.')
param authClientId string = ''

@description('Tenant id of that app registration; empty = the tenant of this deployment.')
param authTenantId string = ''

// Monitoring ---------------------------------------------------------------
@description('E-mail address notified when a job fails. Empty = the alert rule is still created but has no action group.')
param alertEmail string = ''

@description('Log Analytics retention in days.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

var serviceName = 'functions' // must match the service name in azure.yaml
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  application: 'acms-jobs'
}
var names = {
  identity: 'id-acms-${resourceToken}'
  storage: 'stacms${resourceToken}'
  logAnalytics: 'log-acms-${resourceToken}'
  applicationInsights: 'appi-acms-${resourceToken}'
  postgres: 'psql-acms-${resourceToken}'
  plan: 'plan-acms-${resourceToken}'
  functionApp: 'func-acms-${resourceToken}'
  deploymentContainer: 'app-package-${resourceToken}'
}
var databaseName = 'acms'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    deploymentContainerName: names.deploymentContainer
    identityName: names.identity
  }
  dependsOn: [
    identity
  ]
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
    identityName: names.identity
  }
  dependsOn: [
    identity
  ]
}

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  scope: rg
  params: {
    name: names.postgres
    location: location
    tags: tags
    version: '16'
    skuName: postgresSkuName
    skuTier: postgresSkuTier
    storageSizeGB: postgresStorageSizeGB
    databaseName: databaseName
    administratorObjectId: principalId
    administratorName: principalName
    administratorType: principalType
    allowAzureServices: postgresAllowAzureServices
    clientIpStart: postgresClientIpStart
    clientIpEnd: postgresClientIpEnd
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: rg
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: tags
    azdServiceName: serviceName
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    identityName: identity.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    postgresFqdn: postgres.outputs.fqdn
    postgresDatabaseName: postgres.outputs.databaseName
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    schedules: {
      DecaySchedule: decaySchedule
      DedupSchedule: dedupSchedule
      CleanupSchedule: cleanupSchedule
      TopicExtractionSchedule: topicExtractionSchedule
      InsightGenerationSchedule: insightGenerationSchedule
      WeeklyReportSchedule: weeklyReportSchedule
    }
    azureOpenAIEndpoint: azureOpenAIEndpoint
    azureOpenAIDeployment: azureOpenAIDeployment
    authClientId: authClientId
    authTenantId: empty(authTenantId) ? tenant().tenantId : authTenantId
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  scope: rg
  params: {
    location: location
    tags: tags
    applicationInsightsId: monitoring.outputs.applicationInsightsId
    namePrefix: 'acms-${resourceToken}'
    alertEmail: alertEmail
    evaluationFrequency: 'PT15M'
    functionAppHostName: functionApp.outputs.defaultHostName
  }
}

// azd stores these in .azure/<env>/.env; the postprovision hook reads them.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_FUNCTION_APP_URL string = 'https://${functionApp.outputs.defaultHostName}'
output AZURE_MANAGED_IDENTITY_NAME string = identity.outputs.name
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output POSTGRES_SERVER_NAME string = postgres.outputs.name
output POSTGRES_HOST string = postgres.outputs.fqdn
output POSTGRES_DATABASE string = postgres.outputs.databaseName
output POSTGRES_ADMIN_NAME string = principalName
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output ALERT_RULE_NAME string = alerts.outputs.alertRuleName
output ACMS_SIGN_IN_ENABLED bool = functionApp.outputs.authEnabled
output LATE_ALERT_RULE_NAME string = alerts.outputs.lateAlertRuleName
