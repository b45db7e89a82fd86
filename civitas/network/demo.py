"""The relationships of the demo city Aurelia (civitas.cities.demo), recorded through the services.

About eighty relationships of every kind, with some the Supplement expects left out on
purpose (the CERT talks to no other CERT or to the police, the waste contractor is never
evaluated, some ICT companies follow no standard, the street vendors are linked to nobody),
so that the map shows gaps, overlaps, brokers and an isolated stakeholder.
"""

from civitas.cities.models import Initiative
from civitas.network.services import relationship_create
from civitas.stakeholders.models import Stakeholder
from civitas.stakeholders.services import matrix_item_add

# source, kind, target, strength, initiative key ("" for the whole programme), description
RELATIONSHIPS: list[tuple[str, str, str, int, str, str]] = [
    ("government", "regulates", "council", 3, "", "Local government law and the open data act."),
    ("region", "coordinates", "council", 2, "", "Regional mobility and flood plans."),
    ("government", "supplies_data", "council", 1, "opendata", "Census and address registers."),
    ("government", "regulates", "water_utility", 1, "water", "The water concession law."),
    ("min_transport", "funds", "transit", 3, "mobility", "Co-funds the bus priority corridors."),
    ("min_transport", "regulates", "transport_dept", 2, "mobility", "National rules for bus lanes."),
    ("min_transport", "collaborates", "transport_dept", 2, "mobility",
     "Joint steering group of the corridors."),
    ("min_digital", "regulates", "harbourview", 3, "", "Spectrum licences and coverage duties."),
    ("min_digital", "informs", "council", 2, "", "National guidance on antenna (EMF) planning."),
    ("min_digital", "supplies_data", "ict_dept", 2, "opendata", "Feeds of the national portal."),
    ("min_energy", "regulates", "power", 3, "", "Grid rules and tariffs."),
    ("min_energy", "funds", "council", 2, "lighting", "Energy-efficiency grant for the LEDs."),
    ("min_environment", "regulates", "water_utility", 2, "water", "Abstraction and quality permits."),
    ("min_environment", "collaborates", "min_transport", 1, "", "The national clean-air campaign."),
    ("science_agency", "funds", "university", 2, "", "Research grants on urban mobility."),
    ("climate_fund", "funds", "council", 3, "water", "Grant for the leak-detection sensors."),
    ("climate_fund", "advises", "environment", 2, "water", "Technical help on climate adaptation."),
    ("dev_bank", "funds", "transit", 3, "mobility", "Loan for electric buses, under negotiation."),
    ("region", "funds", "transit", 1, "mobility", "Regional buses in the single ticket."),
    ("council", "informs", "old_harbour", 2, "mobility", "Public meetings on Harbour Avenue."),
    ("council", "informs", "commuters", 2, "mobility", "Consultation on the new bus network."),
    ("citizen_services", "informs", "hillside", 1, "water", "Notices of water cuts."),
    ("citizen_services", "informs", "youth", 1, "", "The youth council's newsletter."),
    ("citizen_services", "collaborates", "transport_dept", 1, "mobility",
     "Passenger information at the front desk."),
    ("citizen_services", "collaborates", "water_dept", 1, "water", "Complaints about water cuts."),
    ("finance", "evaluates", "transit", 2, "mobility", "Quarterly review of punctuality KPIs."),
    ("finance", "funds", "transport_dept", 2, "mobility", "The municipal share of the corridors."),
    ("finance", "evaluates", "power", 2, "lighting", "Savings of the energy-performance contract."),
    ("water_dept", "evaluates", "water_utility", 3, "water", "Leakage and pressure KPIs."),
    ("transport_dept", "coordinates", "transit", 3, "mobility", "Signal priority for buses."),
    ("environment", "collaborates", "transport_dept", 2, "mobility", "Low-emission zone pilot."),
    ("civil_protection", "coordinates", "ict_dept", 2, "", "Storm alerts on the city's networks."),
    ("civil_protection", "coordinates", "transport_dept", 2, "", "Evacuation routes."),
    ("civil_protection", "collaborates", "water_dept", 2, "water", "River-level sensors."),
    ("civil_protection", "informs", "hillside", 2, "water", "Flood alerts by text message."),
    ("ict_dept", "supplies_data", "planning", 2, "opendata", "The city's data platform."),
    ("legal", "regulates", "waste", 2, "", "Waste by-law and contract terms."),
    ("legal", "advises", "ict_dept", 1, "opendata", "Data-protection checks before release."),
    ("cert", "coordinates", "ict_dept", 3, "", "Round-the-clock monitoring of city networks."),
    ("planning", "informs", "old_harbour", 2, "mobility", "Street redesign workshops."),
    ("planning", "collaborates", "architects", 2, "", "Guidelines for the historic centre."),
    ("consultant", "advises", "transport_dept", 3, "mobility", "Redesign of the bus network."),
    ("atelier", "provides_service", "council", 2, "lighting", "The waterfront lighting plan."),
    ("transit", "provides_service", "council", 3, "mobility", "Buses and tram under contract."),
    ("waste", "provides_service", "council", 3, "", "Household waste collection contract."),
    ("parking", "provides_service", "council", 2, "", "On-street parking concession."),
    ("water_utility", "provides_service", "council", 3, "water", "The water supply concession."),
    ("water_utility", "provides_service", "old_harbour", 2, "water", "Piped water to households."),
    ("power", "provides_service", "council", 3, "lighting", "Runs the street lighting."),
    ("transit", "supplies_data", "ict_dept", 2, "opendata", "Live vehicle positions."),
    ("water_utility", "supplies_data", "water_dept", 2, "water", "Pressure and flow records."),
    ("moveo", "provides_service", "transit", 2, "mobility", "Journey planner and ticket app."),
    ("harbourview", "provides_service", "transit", 2, "mobility", "Mobile data for validators."),
    ("brightgrid", "provides_service", "power", 3, "lighting", "LED lights and remote control."),
    ("tessellate", "provides_service", "ict_dept", 1, "opendata", "Prototype of the data portal."),
    ("moveo", "collaborates", "university", 1, "mobility", "Travel-time studies."),
    ("standards_institute", "sets_standards", "water_utility", 2, "water", "Smart meter standard."),
    ("standards_institute", "sets_standards", "brightgrid", 1, "lighting", "Lamp safety standard."),
    ("lighting_forum", "sets_standards", "brightgrid", 2, "lighting", "Open lighting protocol."),
    ("lighting_forum", "sets_standards", "power", 1, "lighting", "Open lighting protocol."),
    ("coast_friends", "informs", "environment", 2, "", "Weekly bathing-water tests."),
    ("coast_friends", "supplies_data", "environment", 2, "water", "Water test results since 2015."),
    ("dark_sky", "informs", "council", 2, "lighting", "Objections on the nesting beaches."),
    ("open_streets", "advises", "transport_dept", 2, "mobility", "Proposals for cycle lanes."),
    ("open_streets", "collaborates", "commuters", 1, "mobility", "Joint rides and surveys."),
    ("disability_forum", "advises", "transit", 2, "mobility", "Accessible buses and stops."),
    ("disability_forum", "informs", "citizen_services", 1, "", "Accessibility complaints."),
    ("disability_forum", "collaborates", "commuters", 1, "mobility", "Audit of bus stops."),
    ("transparency", "informs", "council", 1, "opendata", "Campaign for an open budget."),
    ("hillside", "informs", "water_dept", 2, "water", "Reports of broken standpipes."),
    ("old_harbour", "informs", "council", 2, "mobility", "Petition against through traffic."),
    ("commuters", "supplies_data", "transport_dept", 1, "mobility", "Crowd-sourced delay reports."),
    ("chamber", "advises", "council", 1, "", "Business views on the Smart Coast plan."),
    ("taxi", "informs", "transport_dept", 2, "mobility", "Taxi ranks at the new hubs."),
    ("hotels", "member_of", "chamber", 2, "", "Member since 2009."),
    ("harbourview", "member_of", "chamber", 1, "", "Member of the digital committee."),
    ("university", "advises", "transport_dept", 3, "mobility", "Traffic models of the corridors."),
    ("university", "evaluates", "transit", 2, "mobility", "Before-and-after study."),
    ("university", "member_of", "standards_institute", 1, "", "Sits on the smart-city committee."),
    ("water_institute", "advises", "water_dept", 2, "water", "Leak and flood models."),
    ("water_institute", "collaborates", "university", 1, "", "Shared sensor laboratory."),
]  # fmt: skip

# Two stakeholders claiming one job: an overlap for the analysis to find (§1).
CLAIMED_CONTRIBUTIONS = [
    ("civil_protection", "Issues flood warnings for the low-lying districts."),
    ("water_institute", "Issues flood warnings for the low-lying districts"),
]


def demo_relationships(
    stakeholders: dict[str, Stakeholder], initiatives: dict[str, Initiative]
) -> int:
    """Record Aurelia's relationships and its overlapping claims; return how many relationships."""
    for source, kind, target, strength, initiative, description in RELATIONSHIPS:
        relationship_create(
            source=stakeholders[source],
            target=stakeholders[target],
            kind=kind,
            by=None,
            strength=strength,
            initiative=initiatives[initiative] if initiative else None,
            description=description,
        )
    for key, text in CLAIMED_CONTRIBUTIONS:
        matrix_item_add(stakeholder=stakeholders[key], dimension="contribution", text=text, by=None)
    return len(RELATIONSHIPS)
