package render

// universalUnits are unit symbols written alike in every language; the
// others come from the message catalogue (unit_<code>).
var universalUnits = map[string]string{
	"HUR": "h", "MIN": "min", "SEC": "s",
	"KGM": "kg", "GRM": "g", "TNE": "t",
	"MTR": "m", "KMT": "km", "CMT": "cm", "MMT": "mm", "MTK": "m²", "MTQ": "m³",
	"LTR": "l", "MLT": "ml", "KWH": "kWh", "KWT": "kW", "P1": "%",
}

// unitLabel returns a readable label for a UN/ECE Recommendation 20 unit
// code, or the code itself when it is not a common one.
func unitLabel(code, lang string) string {
	if u, ok := universalUnits[code]; ok {
		return u
	}
	if s := text(lang, "unit_"+code); s != "unit_"+code {
		return s
	}
	return code
}
