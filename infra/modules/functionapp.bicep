// Flex Consumption (FC1, Linux) plan + .NET 10 isolated-worker function app.
// Every connection is identity based: AzureWebJobsStorage and the deployment container
// through the user-assigned identity, Application Insights with Entra auth, PostgreSQL
// with an Entra access token (Azure.Identity) for the identity's own role. No keys,
// connection-string secrets or passwords appear in any setting.

@description('Function app name (globally unique; becomes <name>.azurewebsites.net).')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Azure region (must offer Flex Consumption).')
param location string

@description('Tags applied to the plan.')
param tags object

@description('Value of the azd-service-name tag; must match the service name in azure.yaml.')
param azdServiceName string

@description('Resource id of the user-assigned managed identity.')
param identityId string

@description('Client id of the user-assigned managed identity.')
param identityClientId string

@description('Name of the user-assigned managed identity; it is also its PostgreSQL role name.')
param identityName string

@description('Blob endpoint of the host storage account.')
param storageBlobEndpoint string

@description('Queue endpoint of the host storage account.')
param storageQueueEndpoint string

@description('Table endpoint of the host storage account.')
param storageTableEndpoint string

@description('URL of the blob container that holds the deployment package.')
param deploymentContainerUrl string

@description('Application Insights connection string (no secret: local auth is disabled on the component).')
param applicationInsightsConnectionString string

@description('PostgreSQL server FQDN.')
param postgresFqdn string

@description('PostgreSQL database name.')
param postgresDatabaseName string

@description('Instance memory size in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Maximum number of instances the app can scale out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('NCRONTAB schedules (six fields, UTC) keyed by app setting name.')
param schedules {
  DecaySchedule: string
  DedupSchedule: string
  CleanupSchedule: string
  TopicExtractionSchedule: string
  InsightGenerationSchedule: string
  WeeklyReportSchedule: string
}

@description('Azure OpenAI endpoint for topic extraction; empty disables the LLM path.')
param azureOpenAIEndpoint string

@description('Azure OpenAI deployment name; empty disables the LLM path.')
param azureOpenAIDeployment string

@description('Client (application) id of the Microsoft Entra ID app registration for sign-in; empty = sign-in off, function keys only.')
param authClientId string

@description('Microsoft Entra ID tenant that issues the sign-in tokens.')
param authTenantId string

// Sign-in is on exactly when an app registration is given.
var authEnabled = !empty(authClientId)

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource functionApp 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': azdServiceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      // Flex Consumption rejects FUNCTIONS_WORKER_RUNTIME / FUNCTIONS_EXTENSION_VERSION /
      // WEBSITE_RUN_FROM_PACKAGE: the runtime comes from functionAppConfig above.
      appSettings: [
        // Host storage through the user-assigned identity (no AccountKey).
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        { name: 'AzureWebJobsStorage__blobServiceUri', value: storageBlobEndpoint }
        { name: 'AzureWebJobsStorage__queueServiceUri', value: storageQueueEndpoint }
        { name: 'AzureWebJobsStorage__tableServiceUri', value: storageTableEndpoint }
        // Telemetry with Entra auth (the component has local auth disabled).
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsightsConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
        // DefaultAzureCredential picks the user-assigned identity.
        { name: 'AZURE_CLIENT_ID', value: identityClientId }
        // PostgreSQL: no password; the app requests an Entra token for the identity's role.
        { name: 'ConnectionStrings__Acms', value: 'Host=${postgresFqdn};Database=${postgresDatabaseName};Username=${identityName};Ssl Mode=Require' }
        { name: 'Database__Authentication', value: 'EntraId' }
        { name: 'Database__ManagedIdentityClientId', value: identityClientId }
        // The postprovision hook migrates as the Entra administrator.
        { name: 'Database__MigrateOnStart', value: 'false' }
        // Timer schedules (six-field NCRONTAB, UTC), referenced as %Name% by the timer triggers.
        { name: 'DecaySchedule', value: schedules.DecaySchedule }
        { name: 'DedupSchedule', value: schedules.DedupSchedule }
        { name: 'CleanupSchedule', value: schedules.CleanupSchedule }
        { name: 'TopicExtractionSchedule', value: schedules.TopicExtractionSchedule }
        { name: 'InsightGenerationSchedule', value: schedules.InsightGenerationSchedule }
        { name: 'WeeklyReportSchedule', value: schedules.WeeklyReportSchedule }
        // Optional LLM for topic extraction (empty endpoint/deployment = off).
        { name: 'AzureOpenAI__Endpoint', value: azureOpenAIEndpoint }
        { name: 'AzureOpenAI__Deployment', value: azureOpenAIDeployment }
        { name: 'AzureOpenAI__ManagedIdentityClientId', value: identityClientId }
      ]
    }
  }
}

// App Service authentication (Easy Auth) with Microsoft Entra ID. Always declared, so removing the client id turns
// sign-in off again on the next provision. The per-route decision (README "Keys and sign-in, per route"):
//   * /api/v2/*            function-key routes (automation): excluded here, the host checks the key;
//   * /api/signed-in/v2/*  sign-in routes: anonymous at the host, so Easy Auth must reject the unauthenticated (401)
//                          and the app requires the principal Easy Auth adds (WEBSITE_AUTH_ENABLED=True);
//   * /api/health, /api/dashboard(+assets): no data; excluded, so probes work and the dashboard page can send the
//                          browser to /.auth/login/aad itself (Easy Auth cannot answer 401 on some paths and redirect
//                          on others, and APIs must answer 401).
// The platform sets WEBSITE_AUTH_ENABLED itself and strips client-sent X-MS-CLIENT-PRINCIPAL headers; it must never be
// an app setting (the posture test checks).
resource authSettings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: functionApp
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: authEnabled
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
      excludedPaths: [
        '/api/v2/*'
        '/api/health'
        '/api/health/details'
        '/api/dashboard'
        '/api/dashboard/assets/*'
      ]
    }
    httpSettings: {
      requireHttps: true
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: authEnabled
        registration: {
          clientId: authClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${authTenantId}/v2.0'
        }
        validation: {
          // Browser sign-in (ID token, audience = client id) and desktop/API callers (access token for api://<client id>).
          allowedAudiences: [
            authClientId
            'api://${authClientId}'
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}

// Publishing with basic (user/password) credentials is off; azd deploys with an Entra token.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
output planName string = plan.name
output authEnabled bool = authEnabled
