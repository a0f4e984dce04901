"""The invented world of the demo data: code tables, places and names (no real personal data)."""

from __future__ import annotations

SALESPEOPLE = (  # code, name, job title, phone, e-mail, blocked
    ("JL", "Jo Lindqvist", "Sales Manager", "+47 22 10 01 01", "jo.lindqvist@rapport.example",
     False),
    ("MK", "Mira Kovac", "Account Manager", "+49 30 201 00 02", "mira.kovac@rapport.example",
     False),
    ("TB", "Tom Brennan", "Account Manager", "+44 20 7946 0003", "tom.brennan@rapport.example",
     False),
    ("SR", "Sofie Ravn", "Key Account Manager", "+45 33 10 00 04", "sofie.ravn@rapport.example",
     False),
    ("PD", "Paul Dumont", "Sales Representative", "+33 1 70 00 00 05",
     "paul.dumont@rapport.example", False),
    ("EX", "Erik Xander", "Former Sales Representative", "", "", True),
)
ADMIN = ("ADMIN", "Demo Administrator", "admin@rapport.example", "JL")
LANGUAGES = (("DEU", "German"), ("FRA", "French"), ("NOR", "Norwegian"),
             ("SVE", "Swedish"), ("DAN", "Danish"), ("NLD", "Dutch"))
COUNTRIES = (("GB", "United Kingdom"), ("DE", "Germany"), ("FR", "France"), ("NO", "Norway"),
             ("SE", "Sweden"), ("DK", "Denmark"), ("NL", "Netherlands"),
             ("US", "United States"))
TERRITORIES = (("NORDIC", "Nordic countries"), ("DACH", "German-speaking countries"),
               ("UKI", "United Kingdom and Ireland"), ("BENELUX", "Benelux"),
               ("FRANCE", "France"), ("NAM", "North America"))
# country → territory, language (None = blank, English), legal form, telephone prefix
COUNTRY_FACTS = {
    "GB": ("UKI", None, "Ltd", "+44 20"), "DE": ("DACH", "DEU", "GmbH", "+49 30"),
    "FR": ("FRANCE", "FRA", "SARL", "+33 1"), "NO": ("NORDIC", "NOR", "AS", "+47 22"),
    "SE": ("NORDIC", "SVE", "AB", "+46 8"), "DK": ("NORDIC", "DAN", "ApS", "+45 33"),
    "NL": ("BENELUX", "NLD", "B.V.", "+31 20"), "US": ("NAM", None, "Inc.", "+1 212"),
}
CITIES = (  # city, post code, county, country
    ("London", "EC1A 1BB", "Greater London", "GB"), ("Leeds", "LS1 4AP", "West Yorkshire", "GB"),
    ("Bristol", "BS1 5TR", "Bristol", "GB"), ("Berlin", "10115", "", "DE"),
    ("Hamburg", "20095", "", "DE"), ("München", "80331", "Bayern", "DE"),
    ("Lyon", "69002", "Rhône", "FR"), ("Paris", "75003", "Île-de-France", "FR"),
    ("Oslo", "0150", "", "NO"), ("Bergen", "5003", "Vestland", "NO"),
    ("Stockholm", "111 52", "", "SE"), ("Göteborg", "411 05", "", "SE"),
    ("København", "1050", "", "DK"), ("Aarhus", "8000", "", "DK"),
    ("Utrecht", "3511 AB", "Utrecht", "NL"), ("Rotterdam", "3011 AA", "Zuid-Holland", "NL"),
    ("Boston", "02108", "MA", "US"), ("Denver", "80202", "CO", "US"),
)
STREETS = ("Harbour Road", "Mill Lane", "Station Street", "Market Square", "Birch Avenue",
           "Elm Park", "Quay Street", "Granite Way", "Orchard Row", "Lantern Court",
           "Copper Street", "Willow Gardens", "Beacon Hill", "Foundry Lane", "River Walk")
SALUTATIONS = (("COMPANY", "Company"), ("FORMAL", "Formal, person"),
               ("INFORMAL", "Informal, person"))
SALUTATION_FORMULAS = (
    ("FORMAL", "", "Formal", "Dear {first_name} {surname}"),
    ("FORMAL", "", "Informal", "Dear {first_name}"),
    ("FORMAL", "DEU", "Formal", "Sehr geehrte(r) {first_name} {surname}"),
    ("FORMAL", "DEU", "Informal", "Hallo {first_name}"),
    ("FORMAL", "NOR", "Formal", "Kjære {first_name} {surname}"),
    ("FORMAL", "NOR", "Informal", "Hei {first_name}"),
    ("COMPANY", "", "Formal", "Dear Sir or Madam"),
    ("COMPANY", "DEU", "Formal", "Sehr geehrte Damen und Herren"),
    ("COMPANY", "NOR", "Formal", "Til {company_name}"),
)
COMPANY = dict(name="Rapport Demo Trading AS", address="Harbour Road 1", post_code="0150",
               city="Oslo", phone_no="+47 22 00 00 00", vat_registration_no="NO999999999MVA",
               bank_name="Demo Bank", bank_account_no="1234.56.78901")
MAILING_GROUPS = (("NEWS", "Newsletter"), ("EVENTS", "Event invitations"),
                  ("XMAS", "Season's greetings card"), ("PRODUCT", "Product news"))
INDUSTRY_GROUPS = (("RETAIL", "Retail"), ("WHOLESALE", "Wholesale"),
                   ("MANUFACT", "Manufacturing"), ("ITSERV", "IT services"),
                   ("FINANCE", "Finance and insurance"), ("HEALTH", "Health care"),
                   ("LOGISTICS", "Transport and logistics"))
BUSINESS_RELATIONS = (("CUST", "Customer"), ("PROSP", "Prospect"), ("VEND", "Vendor"),
                      ("PARTNER", "Partner"))
JOB_RESPONSIBILITIES = (("PURCH", "Purchasing"), ("SALES", "Sales"), ("MGMT", "Management"),
                        ("IT", "IT"), ("MARKETING", "Marketing"), ("FINANCE", "Finance"))
JOB_TITLES = {"PURCH": "Purchasing Manager", "SALES": "Sales Director", "MGMT": "CEO",
              "IT": "IT Manager", "MARKETING": "Marketing Lead", "FINANCE": "Controller"}
QUESTIONNAIRES = (  # code, description, contact type, question, answers
    ("COMPSIZE", "Company size", "Companies", "How many employees does the company have?",
     ("1-49", "50-249", "250 or more")),
    ("CHANNEL", "Preferred channel", "People", "How does the contact prefer to be reached?",
     ("E-mail", "Phone", "Events")),
)
CAMPAIGN_STATUSES = (("PLANNED", "Planned"), ("ACTIVE", "Active"), ("DONE", "Completed"))
CAMPAIGNS = (  # description, status, start and end relative to the work date (days), salesperson
    ("Spring product launch", "ACTIVE", -30, 60, "JL"),
    ("Autumn trade fair", "PLANNED", 120, 150, "MK"),
    ("Winter newsletter", "DONE", -200, -150, "TB"),
)
FIRST_NAMES = (
    "Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hugo", "Ines", "Jonas", "Kaja",
    "Liam", "Maren", "Nils", "Olga", "Pablo", "Quinn", "Rosa", "Sven", "Tilda", "Umar", "Vera",
    "Wim", "Xenia", "Yusuf", "Zoe", "Aksel", "Brit", "Caspar", "Dagny", "Emil", "Frida",
    "Gustav", "Hanne", "Ivar", "Julie", "Karl", "Lotte", "Magnus", "Nora",
)
SURNAMES = (
    "Aalto", "Brandt", "Castell", "Dahlberg", "Eklund", "Falk", "Grieg", "Holm", "Iversen",
    "Jansen", "Kessler", "Lund", "Moreau", "Nyström", "Okafor", "Petit", "Quist", "Rask",
    "Sandvik", "Thorsen", "Ulrich", "Vidal", "Winther", "Ystad", "Zeller", "Berger", "Carlsen",
    "Duval", "Engel", "Fjeld", "Gallo", "Hartmann", "Isaksen", "Juhl", "Krogh", "Lemaire",
    "Mikkelsen", "Norberg", "Olsen", "Pedersen",
)
COMPANY_WORDS = (
    "Nordvik", "Bluefjord", "Copperleaf", "Granite", "Harbourline", "Ironbridge", "Juniper",
    "Kestrel", "Lindenhof", "Meadowbrook", "Northwind", "Oakridge", "Pinecrest", "Quayside",
    "Redstone", "Silverlake", "Tidewater", "Upland", "Valemont", "Westmark", "Amberfield",
    "Brightwater", "Cedarholm", "Driftwood", "Elmstead",
)
COMPANY_TRADES = {
    "RETAIL": ("Stores", "Market", "Outfitters"), "WHOLESALE": ("Trading", "Supply", "Import"),
    "MANUFACT": ("Industries", "Works", "Fabrication"), "ITSERV": ("Systems", "Digital", "Data"),
    "FINANCE": ("Capital", "Insurance", "Partners"), "HEALTH": ("Care", "Clinics", "Medical"),
    "LOGISTICS": ("Logistics", "Freight", "Shipping"),
}
