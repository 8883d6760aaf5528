package sdk

import "github.com/kontor-app/kontor/plugins/sdk/pluginpb"

func descriptionToPB(d Description) *pluginpb.Description {
	return &pluginpb.Description{
		Kind: d.Kind, Name: d.Name, Title: d.Title, Version: d.Version,
		Capabilities: d.Capabilities, MediaType: d.MediaType, ModelVersion: d.ModelVersion,
		Models: d.Models, Privacy: d.Privacy,
	}
}

func descriptionFromPB(d *pluginpb.Description) Description {
	return Description{
		Kind: d.GetKind(), Name: d.GetName(), Title: d.GetTitle(), Version: d.GetVersion(),
		Capabilities: d.GetCapabilities(), MediaType: d.GetMediaType(), ModelVersion: d.GetModelVersion(),
		Models: d.GetModels(), Privacy: d.GetPrivacy(),
	}
}

func documentToPB(doc *Document) *pluginpb.RenderResponse {
	res := &pluginpb.RenderResponse{Document: doc.Content, MediaType: doc.MediaType, FileName: doc.FileName}
	for _, i := range doc.Issues {
		res.Issues = append(res.Issues, &pluginpb.Issue{
			Severity: i.Severity, Rule: i.Rule, Field: i.Field, Term: i.Term, Message: i.Message,
		})
	}
	return res
}

func documentFromPB(res *pluginpb.RenderResponse) *Document {
	doc := &Document{Content: res.GetDocument(), MediaType: res.GetMediaType(), FileName: res.GetFileName()}
	for _, i := range res.GetIssues() {
		doc.Issues = append(doc.Issues, Issue{
			Severity: i.GetSeverity(), Rule: i.GetRule(), Field: i.GetField(), Term: i.GetTerm(), Message: i.GetMessage(),
		})
	}
	return doc
}
