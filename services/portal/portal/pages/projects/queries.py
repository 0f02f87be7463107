"""The GraphQL operations of the projects pages (the tests fake the gateway by their names)."""

from __future__ import annotations

from portal.charts import MEASURE_CHART_FRAGMENT

PAGE_SIZE = 20
SIMILAR_COUNT = 10

CARD = """fragment ProjectCard on Project {
  id title summary stage themes bigI visibility organisation { id name } }"""
# The chart module's fragment names every field it reads; the page adds what it shows besides.
MEASURE = (
    MEASURE_CHART_FRAGMENT
    + "fragment MeasureFields on Measure { ...MeasureChartFields definition kind }"
)

LIST = f"""query ProjectsPage($filter: ProjectFilter, $first: Int, $after: String, $text: String!,
                              $search: Boolean!) {{
  projects(filter: $filter, first: $first, after: $after) {{
    edges {{ node {{ ...ProjectCard }} }} pageInfo {{ hasNextPage endCursor }} }}
  similarProjects(text: $text, first: {SIMILAR_COUNT}) @include(if: $search) {{
    edges {{ node {{ score project {{ ...ProjectCard }} }} }} }}
}}
{CARD}"""

SIMILAR = f"""query SimilarWork($text: String!) {{
  similarProjects(text: $text, first: 5) {{ edges {{ node {{ score project {{ ...ProjectCard }} }} }} }} }}
{CARD}"""

# The driver diagram stops at change ideas and the cycles come as one flat list: nesting the
# cycles in the tree would multiply the query's cost past the gateway's limit.
PAGE = f"""query ProjectPage($id: ID!) {{
  project(id: $id) {{
    id title summary themes visibility stage stageMeaning coProductionLevel bigI canChange
    allowedNextStages
    proposedAt aim {{ what howMuch byWhen statement isComplete }}
    organisation {{ id name }} partnerOrganisations {{ id name }}
    team {{ id role joinedAt member {{ id displayName }} }}
    driverDiagram {{ aim primaryDrivers {{ id text changeIdeas {{ id title description }}
      secondaryDrivers {{ id text changeIdeas {{ id title description }} }} }} }}
    pdsaCycles {{ id changeIdeaId number status plan prediction doNotes whatHappened decision
      actNotes startedAt studiedAt completedAt ledBy {{ id displayName }} }}
    measures {{ ...MeasureFields }}
  }}
}}
{MEASURE}"""

RECORD = f"""mutation RecordMeasurement($input: RecordMeasurementInput!) {{
  recordMeasurement(input: $input) {{
    point {{ id }} measure {{ ...MeasureFields }}
    newSignals {{ rule nature description firstPointOn lastPointOn }} }}
}}
{MEASURE}"""

PROPOSE = """mutation ProposeProject($input: ProposeProjectInput!) {
  proposeProject(input: $input) { project { id } } }"""

ADD_DRIVER = """mutation AddDriver($input: AddDriverInput!) {
  addDriver(input: $input) { driver { id } } }"""

ADD_CHANGE_IDEA = """mutation AddChangeIdea($input: AddChangeIdeaInput!) {
  addChangeIdea(input: $input) { changeIdea { id } } }"""

START_PDSA = """mutation StartPdsaCycle($input: StartPdsaCycleInput!) {
  startPdsaCycle(input: $input) { cycle { id } } }"""

STUDY_PDSA = """mutation StudyPdsaCycle($input: StudyPdsaCycleInput!) {
  studyPdsaCycle(input: $input) { cycle { id } } }"""

COMPLETE_PDSA = """mutation CompletePdsaCycle($input: CompletePdsaCycleInput!) {
  completePdsaCycle(input: $input) { cycle { id } } }"""

TEAM_CHOICES = """query TeamChoices($id: ID!, $organisationId: ID!, $first: Int) {
  project(id: $id) { id title canChange team { role member { id } } }
  members(organisationId: $organisationId, first: $first) {
    edges { node { id displayName memberType } } pageInfo { hasNextPage } }
}"""

ADD_TEAM_MEMBER = """mutation AddTeamMember($input: AddTeamMemberInput!) {
  addTeamMember(input: $input) { teamMember { id role } } }"""

ADVANCE_STAGE = """mutation AdvanceStage($input: AdvanceStageInput!) {
  advanceStage(input: $input) { project { id stage } } }"""

DEFINE_MEASURE = """mutation DefineMeasure($input: DefineMeasureInput!) {
  defineMeasure(input: $input) { measure { id } } }"""
