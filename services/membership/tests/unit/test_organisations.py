from datetime import UTC, datetime

import pytest
from membership import domain
from servicekit.errors import InvalidInput

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


class TestRegisterOrganisation:
    def test_names_and_regions_are_tidied(self) -> None:
        organisation = domain.Organisation.register(
            name="  Riverside   Trust ", kind=domain.OrganisationKind.ACUTE_TRUST, region=" North ", now=NOW
        )

        assert (organisation.name, organisation.region) == ("Riverside Trust", "North")
        assert organisation.joined_network_at == NOW

    def test_an_empty_name_is_refused(self) -> None:
        with pytest.raises(InvalidInput, match="organisation name") as caught:
            domain.Organisation.register(name="   ", kind=domain.OrganisationKind.COUNCIL, region="r", now=NOW)
        assert caught.value.details == {"field": "name"}

    def test_an_overlong_name_is_refused(self) -> None:
        with pytest.raises(InvalidInput, match="at most 200"):
            domain.Organisation.register(name="x" * 201, kind=domain.OrganisationKind.COUNCIL, region="r", now=NOW)
