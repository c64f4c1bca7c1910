package web

// Viewer is the signed-in person as the layout shows them.
type Viewer struct {
	Name    string
	IsAdmin bool
}

// Page carries what every page's layout needs.
type Page struct {
	Title string
	// Viewer is nil when nobody is signed in.
	Viewer *Viewer
	// DevSignIn is true when the portal runs with the development sign-in,
	// which the layout announces on every page.
	DevSignIn bool
}

// FieldError is one problem with one form field. Field is the id of the
// input, so that the error summary can link to it.
type FieldError struct {
	Field   string
	Message string
}

// FieldErrors is the list of problems on a form, in the order of the fields.
type FieldErrors []FieldError

// For returns the message for a field, or "" when it has none.
func (fe FieldErrors) For(field string) string {
	for _, e := range fe {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// HomeView is the home page of a signed-in person.
type HomeView struct {
	Page
	Onboardings []OnboardingSummary
}

// SignInView is the sign-in page. With the development sign-in it shows a
// form for a display name and a role; otherwise a single sign-in button.
type SignInView struct {
	Page
	ReturnTo string
	// Notice is a neutral message, such as that the person has signed out.
	Notice string
	// Form values and problems of the development sign-in.
	DisplayName string
	Role        string
	Errors      FieldErrors
}

// ErrorView is a page that says what went wrong in the person's terms, and
// never anything from inside the portal.
type ErrorView struct {
	Page
	Status    int
	Heading   string
	Message   string
	RequestID string
	// ActionURL and ActionText, when set, offer the next thing to do.
	ActionURL  string
	ActionText string
}
