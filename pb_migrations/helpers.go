package pb_migrations

import "github.com/pocketbase/pocketbase/core"

// deleteCollections deletes the collections of the names, in that order
// (the ones that refer to others first), with their records.
func deleteCollections(app core.App, names ...string) error {
	for _, name := range names {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			return err
		}
		if err := app.Delete(c); err != nil {
			return err
		}
	}
	return nil
}

// workspaceRelation is the workspace field of a workspace's records: it
// must name one, and the records go with it.
func workspaceRelation(workspaces *core.Collection) *core.RelationField {
	return &core.RelationField{Name: "workspace", CollectionId: workspaces.Id, MaxSelect: 1, Required: true, CascadeDelete: true}
}
