"""The demo city Aurelia, built through the services the way a city office would build it.

Aurelia is invented, and so are its organizations and people: a mid-sized coastal city
in a developing country with four SSC initiatives, a registry covering every generic
type of §3.1 and several units of Tables 1 and 2, categorizations that make Figure 2 and
the power-interest grid worth looking at, and analysis-matrix items of its own.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from civitas.accounts.models import Role, User
from civitas.accounts.services import membership_set
from civitas.catalogue.models import DefaultMatrixItem, StakeholderType
from civitas.catalogue.services import catalogue_load
from civitas.cities.models import City, DevelopmentContext, Initiative, InitiativeStatus
from civitas.cities.services import city_create, initiative_create
from civitas.engagement.demo import build_engagement_demo
from civitas.network.demo import demo_relationships
from civitas.stakeholders.models import Stakeholder
from civitas.stakeholders.services import (
    categorization_set,
    contact_add,
    matrix_default_dismiss,
    matrix_default_edit,
    matrix_item_add,
    stakeholder_create,
)

DEMO_SLUG = "aurelia"
# A known password so that anyone trying the demo can sign in; printed by `civitas demo`.
DEMO_PASSWORD = "aurelia-demo"  # noqa: S105

ALL_STEPS = "definition classification supplements literature"
TWO_STEPS = "definition classification"
ONE_STEP = "definition"


@dataclass(frozen=True)
class StakeholderSpec:
    key: str
    name: str
    type: str
    parent: str = ""
    kind: str = ""
    levels: str | None = None
    sector: str = ""
    tags: str = ""
    why: str = ""
    steps: str = ""
    description: str = ""
    website: str = ""
    confidential: bool = False


S = StakeholderSpec

STAKEHOLDERS = [
    S("council", "Aurelia City Council", "municipality", why="influential interested",
      steps=ALL_STEPS, tags="sponsor;leadership", website="https://aurelia.example.org",
      description="The elected council and the city administration; sponsor of the "
      "Aurelia Smart Coast programme."),
    S("planning", "Urban Planning Department", "municipal_urban_planning", parent="council",
      why="influential", steps=ALL_STEPS, tags="land-use",
      description="Keeps the zoning plan and issues building and street-works permits."),
    S("civil_protection", "Civil Protection and Emergency Service",
      "municipal_security_emergency", parent="council", why="interested affected",
      steps=TWO_STEPS, tags="flooding;resilience",
      description="Runs the flood and storm alerts for the low-lying districts."),
    S("citizen_services", "Citizen Services Office", "municipal_citizen_services",
      parent="council", why="interested", steps=TWO_STEPS, tags="one-stop-shop",
      description="The front desk and call centre for residents' requests."),
    S("ict_dept", "Digital Services and ICT Department", "municipal_infrastructure_ict",
      parent="council", why="influential interested", steps=ALL_STEPS,
      tags="open-data;networks", description="Hosts the city's servers, data and networks."),
    S("environment", "Environment and Climate Department", "municipal_environment",
      parent="council", why="interested", steps=TWO_STEPS, tags="climate;coastal"),
    S("transport_dept", "Mobility and Transport Department", "municipal_transportation",
      parent="council", why="influential interested", steps=ALL_STEPS, tags="mobility",
      description="Plans the street network and runs the traffic signals."),
    S("finance", "Finance and Procurement Department", "municipal_finance", parent="council",
      why="influential", steps=TWO_STEPS, tags="procurement;funding"),
    S("legal", "Legal Affairs and Data Protection Office", "municipal_legal_affairs",
      parent="council", why="influential", steps=ONE_STEP, tags="data-protection"),
    S("water_dept", "Water and Sanitation Department", "municipal_water_sanitation",
      parent="council", why="influential interested", steps=ALL_STEPS, tags="water",
      description="Oversees the water concession and the storm drains."),
    S("cert", "Aurelia City CERT", "municipal_cert", parent="council", why="interested",
      tags="cybersecurity", description="A team of four, set up in 2024."),
    S("government", "National Government", "national_regional_government",
      levels="national", why="influential", steps=TWO_STEPS, tags="funding;regulation"),
    S("region", "Coastal Region Authority", "national_regional_government",
      levels="sub_national", why="influential", steps=ONE_STEP, tags="funding",
      description="The regional government; runs the regional buses."),
    S("min_digital", "Ministry of Digital Infrastructure and Industry",
      "national_infrastructure_industry_it", parent="government", why="influential",
      steps=TWO_STEPS, tags="open-data;networks"),
    S("science_agency", "National Agency for Science and Innovation",
      "national_science_technology", parent="government", why="interested", tags="research"),
    S("min_environment", "Ministry of Environment and Climate Action", "national_environment",
      parent="government", why="influential", steps=TWO_STEPS, tags="climate;water"),
    S("min_energy", "Ministry of Energy and Mines", "national_energy", parent="government",
      why="influential", steps=ONE_STEP, tags="energy;lighting"),
    S("min_transport", "Ministry of Transport and Public Works", "national_transportation",
      parent="government", why="influential", steps=TWO_STEPS, tags="mobility;funding"),
    S("transit", "Aurelia Metro and Bus Company", "city_services_company", sector="public",
      why="affected influential", steps=ALL_STEPS, tags="mobility;public-transport",
      website="https://transit.aurelia.example.org",
      description="Municipally owned; runs 38 bus lines and one tram line."),
    S("waste", "Clearway Waste Services", "city_services_company", why="interested",
      tags="waste", description="Collects household waste under a ten-year contract."),
    S("parking", "Aurelia Parking and Tolls", "city_services_company",
      why="affected", steps=ONE_STEP, tags="mobility;parking"),
    S("water_utility", "Costa Serena Water Company", "utility_provider",
      levels="local sub_national", why="affected influential", steps=ALL_STEPS, tags="water",
      description="Private concession holder for water supply in Aurelia and two "
      "neighbouring towns."),
    S("power", "Northshore Power Distribution", "utility_provider",
      levels="sub_national national", why="influential", steps=TWO_STEPS,
      tags="energy;lighting"),
    S("brightgrid", "Brightgrid Lighting Systems", "ict_company", levels="national",
      why="interested", steps=TWO_STEPS, tags="lighting;iot"),
    S("tessellate", "Tessellate Data Labs", "ict_company", levels="local",
      why="interested", steps=ONE_STEP, tags="open-data;start-up",
      description="A twelve-person start-up from the university's incubator."),
    S("harbourview", "Harbourview Telecom", "ict_company", why="influential",
      steps=TWO_STEPS, tags="networks;5g"),
    S("moveo", "Moveo Mobility Apps", "ict_company", levels="local national",
      why="interested", steps=ONE_STEP, tags="mobility;apps"),
    S("coast_friends", "Friends of the Aurelia Coast", "ngo", levels="local",
      why="interested affected", steps=ALL_STEPS, tags="environment;coastal",
      website="https://coastfriends.example.org",
      description="Volunteers who clean the beaches and test the bathing water."),
    S("open_streets", "Open Streets Aurelia", "ngo", levels="local", why="interested",
      steps=TWO_STEPS, tags="cycling;walking"),
    S("dark_sky", "Dark Sky Coastal Alliance", "ngo", levels="national", why="interested",
      steps=ONE_STEP, tags="lighting;biodiversity",
      description="Campaigns against light pollution on the turtle nesting beaches."),
    S("disability_forum", "Aurelia Disability Rights Forum", "ngo", levels="local",
      why="affected interested", steps=TWO_STEPS, tags="accessibility;vulnerable-groups"),
    S("transparency", "Open Government Watch", "ngo", levels="national", why="interested",
      steps=ONE_STEP, tags="transparency;open-data"),
    S("climate_fund", "Global Coastal Cities Fund", "international_organization",
      levels="international", why="influential", steps=TWO_STEPS, tags="funding;climate"),
    S("dev_bank", "Atlantic Development Bank", "international_organization",
      levels="international", why="influential", steps=ONE_STEP, tags="funding;loans",
      confidential=True,
      description="Loan for the electric buses under negotiation; terms are confidential."),
    S("chamber", "Aurelia Chamber of Commerce", "industry_association", levels="local",
      why="interested", steps=TWO_STEPS, tags="business"),
    S("taxi", "Aurelia Taxi Drivers' Association", "industry_association", levels="local",
      why="affected", steps=TWO_STEPS, tags="mobility",
      description="Represents about 900 licensed taxi drivers."),
    S("hotels", "Coastal Hotels and Tourism Association", "industry_association",
      levels="local sub_national", why="interested", steps=ONE_STEP, tags="tourism"),
    S("university", "University of Aurelia, Faculty of Engineering", "academia_research",
      why="interested", steps=ALL_STEPS, tags="research;mobility;energy",
      website="https://eng.university-aurelia.example.org"),
    S("water_institute", "Institute for Coastal Water Research", "academia_research",
      levels="local national", why="interested", steps=TWO_STEPS, tags="water;research"),
    S("old_harbour", "Old Harbour Residents' Association", "citizens", kind="group",
      why="affected", steps=TWO_STEPS, tags="residents;heritage",
      description="Residents of the historic harbour quarter along Harbour Avenue."),
    S("hillside", "Hillside Settlement Community Committee", "citizens", kind="group",
      why="affected", steps=ONE_STEP, tags="vulnerable-groups;water;informal-settlement",
      description="Elected committee of an informal settlement of about 12,000 people "
      "with no piped water in most streets."),
    S("vendors", "Central Market Street Vendors' Collective", "citizens", kind="group",
      why="affected", tags="informal-economy;mobility",
      description="About 300 vendors with stalls along Harbour Avenue and the market."),
    S("youth", "Aurelia Youth Council", "citizens", kind="group", why="interested",
      tags="youth"),
    S("commuters", "Southern Districts Commuters' Group", "citizens", kind="group",
      why="affected interested", steps=TWO_STEPS, tags="public-transport;vulnerable-groups"),
    S("architects", "Aurelia Society of Architects and Planners", "urban_planners",
      sector="civil_society", why="interested", steps=ONE_STEP, tags="heritage"),
    S("atelier", "Atelier Linha Urban Design", "urban_planners", sector="private",
      why="interested", steps=TWO_STEPS, tags="lighting;public-space"),
    S("consultant", "Tomás Reyes", "urban_planners", kind="person", sector="private",
      why="influential", steps=ONE_STEP, tags="mobility",
      description="Independent transport planner redesigning the bus network for the "
      "council."),
    S("standards_institute", "National Standards Institute", "standards_body",
      levels="national", why="influential", steps=TWO_STEPS, tags="metering"),
    S("lighting_forum", "Open Street Lighting Interoperability Forum", "standards_body",
      levels="international", why="interested", steps=ONE_STEP,
      tags="lighting;interoperability"),
]  # fmt: skip


@dataclass(frozen=True)
class InitiativeSpec:
    key: str
    name: str
    status: str
    start: date | None
    end: date | None
    description: str


INITIATIVES = [
    InitiativeSpec(
        "mobility",
        "Smart mobility and public transport",
        InitiativeStatus.ACTIVE,
        date(2023, 3, 1),
        date(2026, 12, 31),
        "Bus priority corridors with connected traffic signals, real-time passenger "
        "information, one ticket for buses, tram and regional lines, and protected bike lanes.",
    ),
    InitiativeSpec(
        "water",
        "Smart water network",
        InitiativeStatus.ACTIVE,
        date(2024, 1, 15),
        date(2027, 6, 30),
        "Leak-detection sensors and smart meters in the water network, and river-level "
        "sensors feeding the flood warnings.",
    ),
    InitiativeSpec(
        "opendata",
        "Open data platform",
        InitiativeStatus.PLANNED,
        date(2025, 9, 1),
        None,
        "A portal publishing the city's budget, transport, water and environment data "
        "under an open licence, linked to the national portal.",
    ),
    InitiativeSpec(
        "lighting",
        "Energy-efficient public lighting",
        InitiativeStatus.COMPLETED,
        date(2021, 5, 1),
        date(2023, 10, 31),
        "All 24,000 street lights replaced by dimmable LED lights with remote control, "
        "paid for out of the energy saved.",
    ),
]

# stakeholder key, LFA roles, technology roles, monetary power, administrative power,
# interest, attitude, rationale
Row = tuple[str, str, str, int, int, int, int, str]

CATEGORIZATIONS: dict[str, list[Row]] = {
    "mobility": [
        ("council", "active beneficiary", "technology_driver ssc_enabler", 4, 5, 5, 2,
         "Sponsors the initiative, approved the mobility plan and co-funds the corridors."),
        ("transport_dept", "active", "technology_driver", 2, 4, 5, 2,
         "Runs the project day to day and owns the traffic signal system."),
        ("finance", "active", "", 4, 3, 2, 1,
         "Releases the municipal share of the budget and runs the tenders."),
        ("planning", "active", "ssc_enabler", 1, 4, 3, 1,
         "The corridors must fit the zoning plan; issues the street-works permits."),
        ("ict_dept", "active", "technology_enabler", 1, 3, 4, 2,
         "Hosts the real-time data and the traffic control servers."),
        ("min_transport", "active", "ssc_enabler", 4, 4, 2, 1,
         "Co-funds the corridors; national road rules govern the bus lanes."),
        ("region", "potential_supporter", "ssc_enabler", 3, 2, 2, 1,
         "Could bring the regional buses into the single ticket."),
        ("transit", "active beneficiary", "technology_enabler", 3, 3, 5, 2,
         "Operates the buses; gains priority at junctions and live fleet data."),
        ("parking", "potential_opponent", "", 2, 1, 4, -1,
         "Loses on-street parking revenue along the corridors."),
        ("moveo", "active", "technology_enabler technology_driver", 2, 0, 4, 2,
         "Builds the journey planner and ticketing app under contract."),
        ("harbourview", "potential_supporter", "technology_enabler", 3, 0, 3, 1,
         "Its mobile network carries the on-board validators."),
        ("university", "active", "technology_driver", 1, 0, 4, 2,
         "Models the traffic and evaluates the corridors before and after."),
        ("taxi", "potential_opponent", "", 1, 0, 5, -2,
         "Fear losing fares to faster buses and app-based rides; have threatened strikes."),
        ("vendors", "potential_opponent", "", 0, 0, 5, -1,
         "Stalls on Harbour Avenue would have to move during the works."),
        ("old_harbour", "potential_opponent", "", 1, 1, 4, -2,
         "Oppose a bus lane on Harbour Avenue: noise, lost parking, a heritage street."),
        ("commuters", "beneficiary potential_supporter", "", 0, 0, 5, 2,
         "Stand to save the most travel time; also want night services."),
        ("open_streets", "potential_supporter", "", 0, 0, 4, 2,
         "Campaign for the protected bike lanes in the plan."),
        ("disability_forum", "beneficiary potential_supporter", "", 0, 0, 4, 1,
         "Support the plan if every stop and the app are fully accessible."),
        ("chamber", "potential_supporter", "", 2, 1, 3, 0,
         "Want better access to the centre but dread months of roadworks."),
        ("consultant", "active", "", 0, 0, 3, 1,
         "Redesigning the bus network under contract to the council."),
        ("dev_bank", "active", "ssc_enabler", 5, 1, 3, 1,
         "Negotiating a loan for 60 electric buses."),
        ("coast_friends", "potential_supporter", "", 0, 0, 3, 1,
         "Back cleaner buses; watching the impact of widening the coast road."),
        ("hotels", "beneficiary", "", 1, 0, 2, 1,
         "Visitors would use the single ticket."),
    ],
    "water": [
        ("council", "active", "technology_driver", 3, 5, 4, 2,
         "Owns the network and must renegotiate the concession."),
        ("water_dept", "active", "technology_driver ssc_enabler", 2, 4, 5, 2,
         "Leads the initiative and supervises the concession."),
        ("water_utility", "active beneficiary", "technology_enabler", 4, 2, 5, 1,
         "Installs and runs the sensors and meters; expects fewer losses, fears a tariff cap."),
        ("civil_protection", "active beneficiary", "", 1, 3, 4, 2,
         "Uses the river-level sensors for earlier flood warnings."),
        ("environment", "active", "ssc_enabler", 1, 3, 3, 2,
         "Tracks sewage overflows and water quality at the beaches."),
        ("finance", "active", "", 3, 3, 2, 1, "Manages the grant and the municipal share."),
        ("legal", "active", "", 0, 3, 2, 0,
         "Reviews the concession amendment and the privacy of meter readings."),
        ("min_environment", "potential_supporter", "ssc_enabler", 3, 4, 2, 1,
         "Sets the water-quality rules; could co-fund the flood warnings."),
        ("region", "potential_supporter", "", 2, 2, 2, 1,
         "Two neighbouring towns share the same water network."),
        ("water_institute", "active", "technology_driver", 1, 0, 5, 2,
         "Designs the leak-detection models and checks the data."),
        ("climate_fund", "active", "ssc_enabler", 5, 0, 3, 2,
         "A climate-adaptation grant pays for a third of the sensors."),
        ("harbourview", "active", "technology_enabler", 3, 0, 3, 1,
         "Its low-power network carries the meter readings."),
        ("hillside", "beneficiary potential_opponent", "", 0, 0, 5, -1,
         "Want piped water first; fear that smart meters will mean disconnections."),
        ("coast_friends", "potential_supporter", "", 0, 1, 4, 2,
         "Want the overflow data published so that beaches can be closed in time."),
        ("hotels", "beneficiary potential_supporter", "", 2, 0, 3, 1,
         "Depend on a reliable supply during the summer peak."),
        ("transparency", "potential_supporter", "", 0, 0, 3, 1,
         "Ask for tariffs and water-quality results to be published."),
        ("standards_institute", "potential_supporter", "ssc_enabler", 0, 2, 1, 1,
         "Its metering standard applies to the new meters."),
    ],
    "opendata": [
        ("council", "active", "ssc_enabler", 2, 5, 3, 1,
         "Committed to open data in its transparency pledge."),
        ("ict_dept", "active", "technology_driver", 1, 3, 5, 2,
         "Would build and run the platform."),
        ("legal", "active", "", 0, 4, 4, 0,
         "Must clear every dataset for personal data; cautious about the timetable."),
        ("citizen_services", "active beneficiary", "", 0, 2, 3, 1,
         "Expects fewer information requests once data is public."),
        ("government", "potential_supporter", "ssc_enabler", 3, 5, 2, 1,
         "The national open data law sets what the city must publish."),
        ("min_digital", "potential_supporter", "ssc_enabler", 2, 4, 2, 1,
         "Runs the national portal the city's platform would link to."),
        ("tessellate", "active", "technology_enabler", 1, 0, 5, 2,
         "Local start-up bidding to supply the platform software."),
        ("transparency", "beneficiary potential_supporter", "", 0, 0, 5, 2,
         "Have campaigned for an open city budget for years."),
        ("university", "beneficiary", "technology_driver", 0, 0, 4, 2,
         "Researchers want the transport and water data."),
        ("moveo", "beneficiary", "technology_driver", 1, 0, 4, 2,
         "Would build apps on the live transport feeds."),
        ("chamber", "beneficiary", "", 1, 0, 2, 1,
         "Members want planning and permit data."),
        ("harbourview", "potential_opponent", "", 3, 0, 2, -1,
         "Regards its network coverage data as commercially sensitive."),
        ("standards_institute", "potential_supporter", "ssc_enabler", 0, 2, 1, 1,
         "Publishes the national data format standards."),
        ("disability_forum", "beneficiary", "", 0, 0, 2, 1,
         "Want data on accessible services in usable formats."),
    ],
    "lighting": [
        ("council", "active beneficiary", "technology_driver", 4, 5, 4, 2,
         "Cut the street lighting bill by half."),
        ("finance", "active", "", 4, 3, 3, 1,
         "Set up the energy-performance contract that paid for the works."),
        ("environment", "active", "", 1, 3, 3, 2,
         "Counted the emission savings for the climate plan."),
        ("power", "active", "technology_enabler", 3, 1, 4, 1,
         "Owns the poles; replaced the lights and runs the network."),
        ("brightgrid", "active", "technology_enabler technology_driver", 2, 0, 5, 2,
         "Supplied the LED lights and the remote-control system."),
        ("min_energy", "potential_supporter", "ssc_enabler", 3, 4, 2, 1,
         "Energy-efficiency grants covered a fifth of the cost."),
        ("lighting_forum", "potential_supporter", "ssc_enabler", 0, 1, 2, 1,
         "Its open protocol kept the city free to change supplier."),
        ("atelier", "active", "", 1, 0, 3, 1, "Designed the lighting plan for the waterfront."),
        ("architects", "potential_supporter", "", 0, 1, 2, 1,
         "Asked for warm light in the historic centre."),
        ("university", "beneficiary", "technology_driver", 0, 0, 3, 1,
         "Uses the dimmable network as a test bed."),
        ("old_harbour", "beneficiary potential_supporter", "", 0, 0, 3, 1,
         "Welcomed better-lit streets once the colour was made warmer."),
        ("dark_sky", "potential_opponent", "", 0, 0, 4, -2,
         "Objected to bright cold-white lights near the turtle nesting beaches."),
        ("coast_friends", "potential_opponent", "", 0, 0, 3, -1,
         "Worried about light on the nesting beaches; satisfied once the lights were dimmed."),
    ],
}  # fmt: skip

# stakeholder key, dimension, text: the city's own matrix items.
OWN_MATRIX_ITEMS = [
    ("council", "aim", "Cut the city's carbon emissions by 40% by 2035, as pledged in 2022."),
    ("council", "contribution", "Chairs the Smart Coast steering committee every quarter."),
    ("water_utility", "challenge", "Loses 38% of the treated water to leaks in old mains."),
    ("water_utility", "potential", "Holds twenty years of pressure and flow records."),
    ("transit", "challenge", "Buses average 11 km/h in the centre at rush hour."),
    ("transit", "contribution", "Shares live vehicle positions with the open data platform."),
    ("hillside", "aim", "Piped water to every household of the settlement."),
    ("hillside", "constraint", "Without land titles, residents cannot sign supply contracts."),
    ("taxi", "challenge", "Fares have fallen since ride-hailing apps arrived."),
    ("taxi", "aim", "A fair share of the kerbside at the new transport hubs."),
    ("dark_sky", "aim", "Keep the nesting beaches dark from May to October."),
    ("coast_friends", "potential", "Volunteers have tested the bathing water weekly since 2015."),
    ("tessellate", "constraint", "Twelve staff: little capacity for round-the-clock support."),
    ("university", "contribution", "Traffic simulation of the corridors and their evaluation."),
    ("legal", "constraint", "Each dataset needs a data-protection assessment before release."),
    ("vendors", "challenge", "Most vendors have no licence and fear being moved on for good."),
    ("old_harbour", "aim", "Keep Harbour Avenue a quiet, walkable heritage street."),
]

# stakeholder key, dimension of the default, new wording ("" dismisses the default).
DEFAULT_EDITS = [
    ("council", "challenge", "The municipal budget fell 8% in two years while bus use rose 15%."),
    ("brightgrid", "potential", "Runs a control system for 24,000 lights with open protocols."),
    ("water_institute", "aim", "Turn the city's water data into models of leaks and floods."),
    ("harbourview", "constraint", ""),
    ("citizen_services", "aim", ""),
]

CONTACTS = [
    ("council", "Helena Marques", "Head of the Smart Coast office", "555-0101"),
    ("transport_dept", "Rui Salgado", "Director of mobility", "555-0102"),
    ("water_dept", "Amara Diallo", "Head of water and sanitation", "555-0103"),
    ("ict_dept", "Jonas Petrov", "Chief information officer", "555-0104"),
    ("legal", "Beatriz Lemos", "Data protection officer", "555-0105"),
    ("transit", "Samuel Okoro", "Head of operations", "555-0111"),
    ("water_utility", "Leonor Vidal", "Network manager", "555-0112"),
    ("brightgrid", "Kai Andersen", "Account manager", "555-0121"),
    ("tessellate", "Noor Haddad", "Co-founder", "555-0122"),
    ("coast_friends", "Carlos Mendes", "Coordinator", "555-0131"),
    ("open_streets", "Mia Kowalski", "Spokesperson", "555-0132"),
    ("hillside", "Grace Mbeki", "Committee chair", "555-0141"),
    ("taxi", "Duarte Pinto", "President", "555-0142"),
    ("old_harbour", "Elena Rossi", "Secretary", "555-0143"),
    ("university", "Prof. Ivo Tavares", "Transport research group", "555-0151"),
    ("climate_fund", "Sofia Lindqvist", "Programme officer", "555-0161"),
]

DEMO_USERS = [
    ("ana", "Ana", "Duarte", Role.ANALYST, ""),
    ("vera", "Vera", "Lind", Role.VIEWER, ""),
    ("carlos", "Carlos", "Mendes", Role.CONTRIBUTOR, "coast_friends"),
]


@dataclass
class DemoUser:
    username: str
    role: str
    acts_for: str = ""
    created: bool = False


@dataclass
class DemoResult:
    """What `demo_build` did."""

    city: City
    built: bool
    stakeholders: int = 0
    initiatives: int = 0
    categorizations: int = 0
    matrix_items: int = 0
    users: list[DemoUser] = field(default_factory=list)
    owner: str = ""


def _email(name: str, domain: str = "example.org") -> str:
    local = ".".join(part for part in name.lower().replace("prof. ", "").split())
    return f"{local}@{domain}"


@transaction.atomic
def demo_build(*, reset: bool = False) -> DemoResult:
    """Build the demo city Aurelia, unless it is already there (`reset` rebuilds it)."""
    existing = City.objects.filter(slug=DEMO_SLUG).first()
    if existing is not None:
        if not reset:
            return DemoResult(city=existing, built=False)
        # No service deletes a city: the demo is the one city that is thrown away. Units
        # protect their parents, so unlink them first to let the city's rows cascade.
        Stakeholder.objects.filter(city=existing).update(parent=None)
        existing.delete()
    if not StakeholderType.objects.exists():
        catalogue_load()
    city = city_create(
        slug=DEMO_SLUG,
        name="Aurelia",
        country="ZZ",
        population=420_000,
        development_context=DevelopmentContext.DEVELOPING,
        description="An invented mid-sized coastal city in a developing country, used to "
        "show Civitas. Its Smart Coast programme runs four initiatives.",
        by=None,
    )
    result = DemoResult(city=city, built=True)
    initiatives = _initiatives(city)
    stakeholders = _stakeholders(city)
    result.initiatives = len(initiatives)
    result.stakeholders = len(stakeholders)
    for initiative_key, rows in CATEGORIZATIONS.items():
        for key, lfa, technology, monetary, administrative, interest, attitude, why in rows:
            categorization_set(
                stakeholder=stakeholders[key],
                initiative=initiatives[initiative_key],
                by=None,
                lfa_roles=lfa.split(),
                technology_roles=technology.split(),
                power_monetary=monetary,
                power_administrative=administrative,
                interest=interest,
                attitude=attitude,
                rationale=why,
            )
            result.categorizations += 1
    result.matrix_items = _matrix(stakeholders)
    demo_relationships(stakeholders, initiatives)
    for key, name, role, phone in CONTACTS:
        contact_add(
            stakeholder=stakeholders[key],
            by=None,
            name=name,
            role=role,
            email=_email(name),
            phone=phone,
        )
    result.users = _users(city, stakeholders)
    administrator = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if administrator is not None:
        membership_set(city=city, user=administrator, role=Role.OWNER, by=None)
        result.owner = administrator.username
    build_engagement_demo(city)
    return result


def _initiatives(city: City) -> dict[str, Initiative]:
    return {
        spec.key: initiative_create(
            city=city,
            name=spec.name,
            description=spec.description,
            status=spec.status,
            start_date=spec.start,
            end_date=spec.end,
            by=None,
        )
        for spec in INITIATIVES
    }


def _stakeholders(city: City) -> dict[str, Stakeholder]:
    types = {t.code: t for t in StakeholderType.objects.all()}
    created: dict[str, Stakeholder] = {}
    for spec in STAKEHOLDERS:
        created[spec.key] = stakeholder_create(
            city=city,
            name=spec.name,
            type=types[spec.type],
            by=None,
            kind=spec.kind,
            parent=created[spec.parent] if spec.parent else None,
            levels=spec.levels.split() if spec.levels is not None else None,
            sector=spec.sector,
            description=spec.description,
            website=spec.website,
            tags=spec.tags,
            identified_as=spec.why.split(),
            validation_steps=spec.steps.split(),
            confidential=spec.confidential,
        )
    return created


def _matrix(stakeholders: dict[str, Stakeholder]) -> int:
    count = 0
    for key, dimension, text in OWN_MATRIX_ITEMS:
        matrix_item_add(stakeholder=stakeholders[key], dimension=dimension, text=text, by=None)
        count += 1
    for key, dimension, text in DEFAULT_EDITS:
        stakeholder = stakeholders[key]
        default = (
            DefaultMatrixItem.objects.filter(type_id=stakeholder.type_id, dimension=dimension)
            .order_by("position")
            .first()
        )
        if default is None:
            continue
        if text:
            matrix_default_edit(stakeholder=stakeholder, default=default, text=text, by=None)
        else:
            matrix_default_dismiss(stakeholder=stakeholder, default=default, by=None)
        count += 1
    return count


def _users(city: City, stakeholders: dict[str, Stakeholder]) -> list[DemoUser]:
    users = []
    for username, first_name, last_name, role, acts_for in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        created = user is None
        if user is None:
            # An account, not city data: Django's own manager is the way to create one.
            user = User.objects.create_user(
                username=username,
                email=f"{username}@example.org",
                password=DEMO_PASSWORD,
                first_name=first_name,
                last_name=last_name,
            )
        stakeholder = stakeholders[acts_for] if acts_for else None
        membership_set(city=city, user=user, role=role, stakeholder=stakeholder, by=None)
        users.append(
            DemoUser(
                username=username,
                role=str(role),
                acts_for=stakeholder.name if stakeholder else "",
                created=created,
            )
        )
    return users
