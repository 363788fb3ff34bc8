package policies

import (
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/dcgw-scan/dcgw-scan/internal/regovalue"
	"github.com/dcgw-scan/dcgw-scan/snapshot"
)

// inputValue turns the snapshot into the policy input document: its JSON form as an
// OPA value (regovalue), converted member by member with one Converter. With release,
// each member is dropped from snap as soon as it is converted, so that the typed
// entities and their policy form are never both whole in memory; snap then holds what
// ReleaseEntities keeps, also when the conversion fails.
func inputValue(snap *snapshot.Snapshot, release bool) (ast.Value, error) {
	members, err := regovalue.Members(snap)
	if err != nil {
		return nil, err
	}
	if release {
		kept := *snap
		kept.ReleaseEntities()
		defer func() { *snap = kept }()
	}
	c := regovalue.NewConverter()
	pairs := make([][2]*ast.Term, 0, len(members))
	for _, m := range members {
		v, err := c.ToValue(m.Field.Interface())
		if err != nil {
			return nil, fmt.Errorf("%s: %w", m.Name, err)
		}
		pairs = append(pairs, [2]*ast.Term{ast.StringTerm(m.Name), ast.NewTerm(v)})
		if release {
			m.Field.SetZero()
		}
	}
	return ast.NewObject(pairs...), nil
}

// location is where an entity lives.
type location struct {
	provider, account, region string
}

// locations indexes every entity of the snapshot by id (see Snapshot.EachEntity): the
// cloud resources, the Konnect networks, and their attachments and private DNS
// attachments (which take their network's location). The first entity with an id wins.
func locations(snap *snapshot.Snapshot) map[string]location {
	locs := map[string]location{}
	snap.EachEntity(func(_ string, e snapshot.Entity) {
		if _, ok := locs[e.ID]; !ok && e.ID != "" {
			locs[e.ID] = location{e.Provider, e.Account, e.Region}
		}
	})
	return locs
}
