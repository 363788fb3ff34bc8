package app

// StarterConfig is the config `dcgw-scan init` writes: every section, commented. It
// loads with LoadConfig as written (TestStarterConfig checks it), so it names no ${VAR}
// outside comments.
const StarterConfig = `# dcgw-scan configuration. Reference: README.md, "The config".
# Values may use ${VAR} to read environment variables (an unset one is an error).

# What dcgw-scan scan collects. Remove a source you do not use.
sources:
  konnect:
    # The Konnect API; --konnect-url overrides it.
    url: https://global.api.konghq.com
    # The access token is read from KONNECT_TOKEN, else from this file (relative to
    # this config). It is never written to a snapshot, report or log.
    # token_file: konnect-token
    # Your organization id, recorded in the snapshot's scopes.
    # org: 00000000-0000-0000-0000-000000000000
    # Tries of a throttled call, one try's connect and response-header timeout, and
    # one call's deadline, retries included (also under aws and azure).
    # max_attempts: 10
    # timeout: 30s
    # call_timeout: 3m
  dns:
    # The resolver (host or host:port); empty: the system's.
    # server: 1.1.1.1
    # Per query attempt, as a Go duration.
    timeout: 2s
    # Public hostnames to resolve, besides the Konnect custom domains.
    hostnames: []
      # - api.example.com
  # AWS: credentials from the SDK's chain (environment, profile, SSO, instance role).
  # dcgw-scan iam-policy aws prints the read-only policy the collector needs.
  # aws:
  #   profile: security-audit
  #   # One account through a role, or every account of the organization (not both):
  #   # role_arn: arn:aws:iam::123456789012:role/DcgwScanReadOnly
  #   # org_role_name: DcgwScanReadOnly
  #   regions: [us-east-1, eu-west-1]   # default: each account's enabled regions
  #   concurrency: 128
  # Azure: DefaultAzureCredential (environment, workload or managed identity, Azure CLI);
  # the Reader role is enough.
  # azure:
  #   subscriptions: []                 # default: every subscription the credential lists
  #   concurrency: 8

# Without Konnect API access, declare the Konnect side here instead of sources.konnect
# (not both), in the snapshot's shape (dcgw-scan schema). Rules that need what you do
# not declare (custom_domains, availability) are reported as not evaluated.
# konnect:
#   networks:
#     - id: us-east-2-network
#       provider: aws
#       region: us-east-2
#       cidr: 10.40.0.0/16
#       state: ready
#       data_plane_ips: [10.40.11.23, 10.40.75.141]
#       hostnames: [9e454bcfec.gateways.konggateway.com]
#       api_access: private
#       attachments:
#         - id: core-tgw
#           kind: aws-transit-gateway-attachment
#           state: ready
#           cidr_blocks: [10.20.0.0/16]
#           hub_id: tgw-0c5e8a1f3b7d92e46
#           hub_attachment_id: tgw-attach-0062b0f26927667cf
#   custom_domains:
#     - id: api
#       domain: api.example.com
#   availability:
#     - provider: aws
#       region: us-east-2
#       allowed_cidrs: [10.0.0.0/8]

# The port your edge uses to reach the data plane private IPs.
gateway_port: 443

# Hub attachment or network ids Kong may reach through a hub; nothing else.
allowed_spokes: []

# CIDRs accepted as ingress sources on upstreams besides the data plane IPs.
allowed_source_ranges: []

# Subnets that host upstream services (empty: every subnet of a network connected to Kong).
upstream_subnets: []

# Load balancers that front the gateway (empty: internet-facing ones targeting a data plane IP).
edge_load_balancers: []

# Private endpoints: principals besides Konnect's account a RAM share may name, and the
# ports each resource configuration may expose (by id, name or Konnect domain; without an
# entry, a range wider than one port is reported).
# allowed_share_principals: []
# endpoint_allowed_ports:
#   rcfg-0123456789abcdef0: ["443"]

# TLS policies reported as weak on edge listeners (the default lists the AWS, Azure and
# Front Door policies that allow TLS 1.0 or 1.1), and the CDN domains accepted as your
# public entry (default: CloudFront, Azure Front Door/CDN, Akamai, Fastly).
# weak_tls_policies: [ELBSecurityPolicy-2016-08]
# external_edges: [.cloudfront.net]

# Your own severity for a rule, by id.
# severities:
#   DCGW-TLS-005: low

# Directories of custom Rego rules, added to --policy.
policy_dirs: []

# Rules not to evaluate: ids, or id prefixes ending in * (DCGW-HUB-*). A pattern that
# matches no rule is an error.
disabled_rules: []

# Lowest severity that fails the run with exit 1: critical, high, medium, low, info or none.
fail_on: high
`
