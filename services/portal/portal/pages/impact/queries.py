"""The GraphQL operations of the impact page (the tests fake the gateway by their names)."""

from __future__ import annotations

from portal.charts import CHART_FRAGMENT

MONTHS = 12  # the charts' span: a year of months, the last one this month so far
ORGANISATIONS = 100  # network administrators choose from this many organisations

DIAGRAM = "aim drivers { id text measureKeys }"

# One request for the whole page. `organisations` is asked only for network administrators,
# who may look at any organisation.
PAGE = f"""query NetworkImpact($organisationId: ID, $months: Int!, $admin: Boolean!) {{
  networkImpact(organisationId: $organisationId, months: $months) {{
    organisationId organisation {{ id name }} ruleSet months
    diagram {{ {DIAGRAM} }}
    measures {{ key name description unit driverId latest
      values {{ month value note }}
      chart {{ ...ChartFields }} }}
  }}
  organisations(first: {ORGANISATIONS}) @include(if: $admin) {{
    edges {{ node {{ id name }} }} pageInfo {{ hasNextPage }} }}
}}
{CHART_FRAGMENT}"""

SET_AIM = f"""mutation SetNetworkAim($input: SetNetworkAimInput!) {{
  setNetworkAim(input: $input) {{ diagram {{ {DIAGRAM} }} }} }}"""

ADD_DRIVER = f"""mutation AddNetworkDriver($input: AddNetworkDriverInput!) {{
  addNetworkDriver(input: $input) {{ diagram {{ {DIAGRAM} }} }} }}"""

UPDATE_DRIVER = f"""mutation UpdateNetworkDriver($input: UpdateNetworkDriverInput!) {{
  updateNetworkDriver(input: $input) {{ diagram {{ {DIAGRAM} }} }} }}"""

REMOVE_DRIVER = f"""mutation RemoveNetworkDriver($input: RemoveNetworkDriverInput!) {{
  removeNetworkDriver(input: $input) {{ diagram {{ {DIAGRAM} }} }} }}"""

ATTACH_MEASURE = f"""mutation AttachImpactMeasure($input: AttachImpactMeasureInput!) {{
  attachImpactMeasure(input: $input) {{ diagram {{ {DIAGRAM} }} }} }}"""
