"""The licences of exports and shared datasets: (name, legal code URL) by SPDX id, named as
Darwin Core readers expect (exchange.exports.labels names them for people)."""

LICENCES = {
    "CC0-1.0": (
        "Public Domain (CC0 1.0)",
        "http://creativecommons.org/publicdomain/zero/1.0/legalcode",
    ),
    "CC-BY-4.0": (
        "Creative Commons Attribution (CC-BY) 4.0",
        "http://creativecommons.org/licenses/by/4.0/legalcode",
    ),
    "CC-BY-NC-4.0": (
        "Creative Commons Attribution Non Commercial (CC-BY-NC) 4.0",
        "http://creativecommons.org/licenses/by-nc/4.0/legalcode",
    ),
}
DEFAULT_LICENCE = "CC-BY-4.0"
