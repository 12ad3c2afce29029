"""The closed vocabularies of the seed data, translated for the pages.

A protected area's province, level, habitat type and conservation targets are stored as
the source table gives them, in English (``seeds/protected_areas.json``): the API and
the sync keep them so. Pages show them through these mappings, whose keys are the
seed values and whose labels are in the catalogs (with a context, since "National" or
"Wetland" alone could mean something else elsewhere). A value that is not here (typed
in the admin, say) is shown as it is stored.
"""

from django.utils.translation import pgettext_lazy

PROVINCES = {
    "Amurskaya Province": pgettext_lazy("province", "Amurskaya Province"),
    "Evreyskaya (Jewish Autonomous) Province": pgettext_lazy(
        "province", "Evreyskaya (Jewish Autonomous) Province"
    ),
    "Heilongjiang": pgettext_lazy("province", "Heilongjiang"),
    "Khabarovsky Province": pgettext_lazy("province", "Khabarovsky Province"),
    "Primorsky Province": pgettext_lazy("province", "Primorsky Province"),
    "Zabaikalsky Province": pgettext_lazy("province", "Zabaikalsky Province"),
}

LEVELS = {
    "Federal Wildlife Refuge": pgettext_lazy("protected area level", "Federal Wildlife Refuge"),
    "National": pgettext_lazy("protected area level", "National"),
    "National Park": pgettext_lazy("protected area level", "National Park"),
    "Nature Reserve (cluster)": pgettext_lazy("protected area level", "Nature Reserve (cluster)"),
    "Nature Reserve with buffer zone": pgettext_lazy(
        "protected area level", "Nature Reserve with buffer zone"
    ),
    "Provincial": pgettext_lazy("protected area level", "Provincial"),
    "Provincial Wildlife Refuge": pgettext_lazy(
        "protected area level", "Provincial Wildlife Refuge"
    ),
    "Provincial Wildlife Refuge with buffer zone": pgettext_lazy(
        "protected area level", "Provincial Wildlife Refuge with buffer zone"
    ),
    "Wildlife Refuge": pgettext_lazy("protected area level", "Wildlife Refuge"),
}

HABITATS = {
    "Boreal forest": pgettext_lazy("habitat", "Boreal forest"),
    "Forest ecosystem": pgettext_lazy("habitat", "Forest ecosystem"),
    "Freshwater": pgettext_lazy("habitat", "Freshwater"),
    "Freshwater, temperate forest": pgettext_lazy("habitat", "Freshwater, temperate forest"),
    "Inland Wetland": pgettext_lazy("habitat", "Inland Wetland"),
    "Temperate forest": pgettext_lazy("habitat", "Temperate forest"),
    "Temperate forest; Freshwater": pgettext_lazy("habitat", "Temperate forest; Freshwater"),
}

TARGETS = {
    "Amur tiger, Hoofed mammals": pgettext_lazy(
        "conservation targets", "Amur tiger, Hoofed mammals"
    ),
    "Amur tiger, leopards": pgettext_lazy("conservation targets", "Amur tiger, leopards"),
    "Amur tiger, red-crowned crane": pgettext_lazy(
        "conservation targets", "Amur tiger, red-crowned crane"
    ),
    "Amur tiger; Oriental white stork": pgettext_lazy(
        "conservation targets", "Amur tiger; Oriental white stork"
    ),
    "Anatidae": pgettext_lazy("conservation targets", "Anatidae"),
    "Bears": pgettext_lazy("conservation targets", "Bears"),
    "Cranes, waterfowl, Leather turtle": pgettext_lazy(
        "conservation targets", "Cranes, waterfowl, Leather turtle"
    ),
    "Freshwater ecosystem": pgettext_lazy("conservation targets", "Freshwater ecosystem"),
    "Hoofed mammals": pgettext_lazy("conservation targets", "Hoofed mammals"),
    "Oriental stork, Cranes, Hoofed mammals, Amur tiger": pgettext_lazy(
        "conservation targets", "Oriental stork, Cranes, Hoofed mammals, Amur tiger"
    ),
    "Oriental white stork": pgettext_lazy("conservation targets", "Oriental white stork"),
    "Oriental white stork, Cranes, Waterfowl": pgettext_lazy(
        "conservation targets", "Oriental white stork, Cranes, Waterfowl"
    ),
    "River, island forest": pgettext_lazy("conservation targets", "River, island forest"),
    "Wetland": pgettext_lazy("conservation targets", "Wetland"),
    "Wild animals and plants": pgettext_lazy("conservation targets", "Wild animals and plants"),
    "oriental white stork; red-crowned crane": pgettext_lazy(
        "conservation targets", "oriental white stork; red-crowned crane"
    ),
}


def shown(vocabulary: dict, value: str) -> str:
    """``value`` in the reader's language when the vocabulary knows it, else as stored."""
    return str(vocabulary.get(value, value))
