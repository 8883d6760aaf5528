package calls

import (
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/kontor-app/kontor/hooks/conversions"
	"github.com/kontor-app/kontor/hooks/fielderr"
)

// checkUserPhone keeps a user's own phone, the one rung first when they
// call a contact, in E.164 ("+4917612345678", spaces and dashes removed);
// any other value is a 400 on the phone field.
func checkUserPhone(e *core.RecordEvent) error {
	r := e.Record
	phone := strings.TrimSpace(r.GetString("phone"))
	if !r.IsNew() && phone == r.Original().GetString("phone") {
		return e.Next()
	}
	if phone != "" {
		n := conversions.NormalizePhone(phone)
		if n == "" {
			return fielderr.New("phone", "Write your phone number in international form, with + and the country code, like +49 176 12345678.")
		}
		phone = n
	}
	r.Set("phone", phone)
	return e.Next()
}

// hideOthersPhone keeps a user's own phone to themselves: co-members who
// can read the user's record do not see it.
func hideOthersPhone(e *core.RecordEnrichEvent) error {
	info := e.RequestInfo
	if info == nil || info.HasSuperuserAuth() || info.Auth != nil && info.Auth.Id == e.Record.Id {
		return e.Next()
	}
	e.Record.Hide("phone")
	return e.Next()
}
