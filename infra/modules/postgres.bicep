// Azure Database for PostgreSQL Flexible Server with Microsoft Entra authentication
// only (password authentication disabled). The deploying principal becomes the Entra
// administrator; the function app's managed identity gets its own (non-admin) role
// from the postprovision hook (infra/hooks/postprovision.sh), which can only be done
// over SQL by an Entra administrator.

@description('Server name (globally unique, lowercase).')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the server.')
param tags object

@description('PostgreSQL major version.')
@allowed([
  '16'
])
param version string

@description('Compute SKU name, e.g. Standard_B1ms (Burstable), Standard_D2ds_v5 (GeneralPurpose).')
param skuName string

@description('Compute tier matching skuName.')
@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param skuTier string

@description('Storage size in GiB.')
param storageSizeGB int

@description('Name of the application database.')
param databaseName string

@description('Object id of the Entra principal made PostgreSQL administrator (normally the deploying user).')
param administratorObjectId string

@description('Name of that principal: the UPN for a user, the display name for a group or service principal. It is the PostgreSQL role name used to log in.')
param administratorName string

@description('Type of that principal.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param administratorType string

@description('Add the 0.0.0.0 firewall rule that lets Azure services (the Flex Consumption app, which has no fixed outbound IP) reach the server.')
param allowAzureServices bool

@description('Optional first address of a client range allowed through the firewall (e.g. the deployer, so the postprovision hook can connect). Empty = no client rule.')
param clientIpStart string

@description('Last address of the client range; empty = same as clientIpStart.')
param clientIpEnd string

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuTier
  }
  properties: {
    version: version
    createMode: 'Default'
    authConfig: {
      activeDirectoryAuth: 'Enabled'
      passwordAuth: 'Disabled'
      tenantId: tenant().tenantId
    }
    storage: {
      storageSizeGB: storageSizeGB
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    network: {
      publicNetworkAccess: 'Enabled'
    }
  }
}

// The server accepts one control-plane operation at a time ("ServerIsBusy"), so the
// child resources below are chained with explicit dependsOn instead of running in parallel.

resource allowAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = if (allowAzureServices) {
  parent: server
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource allowClient 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = if (!empty(clientIpStart)) {
  parent: server
  name: 'AllowClientRange'
  properties: {
    startIpAddress: clientIpStart
    endIpAddress: empty(clientIpEnd) ? clientIpStart : clientIpEnd
  }
  dependsOn: [
    allowAzure
  ]
}

resource administrator 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2024-08-01' = {
  parent: server
  name: administratorObjectId
  properties: {
    principalName: administratorName
    principalType: administratorType
    tenantId: tenant().tenantId
  }
  dependsOn: [
    allowClient
  ]
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: server
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
  dependsOn: [
    administrator
  ]
}

output name string = server.name
output fqdn string = server.properties.fullyQualifiedDomainName
output databaseName string = database.name
