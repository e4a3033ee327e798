package story

import (
	"encoding/binary"
	"errors"

	"gopkg.in/yaml.v3"
)

// Skeleton returns a canonical encoding of a story's source without its
// narration: the text of summary, intro and outro, and of every step's
// say, keys included, so adding narration to a step keeps it too. Two
// sources with the same skeleton tell the same simulation with
// the same expectations and display options, so everything computed from
// them but the narration is the same: a cache can file that work under
// the skeleton's hash and keep it across edits of the prose.
//
// The encoding holds each node's kind, tag, anchor and text, and no
// positions or comments, so moving text between lines does not change it.
// The title is kept: the diagrams are titled with it. src must parse as
// YAML; Skeleton is meant for sources [Parse] accepted.
func Skeleton(src []byte) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, err
	}
	var out []byte
	if err := skeleton(&out, &doc, document, 0); err != nil {
		return nil, err
	}
	return out, nil
}

// role is what a node is in a story: only the story's own mapping and
// a step's mapping hold narration.
type role int

const (
	other role = iota
	document
	storyMap
	stepList
	stepMap
)

// narration holds the keys whose text is narration, by the role of the
// mapping they are found in.
var narration = map[role]map[string]bool{
	storyMap: {"summary": true, "intro": true, "outro": true},
	stepMap:  {"say": true},
}

// maxSkeletonDepth bounds the recursion over a hostile document; the
// parser refuses far shallower nesting.
const maxSkeletonDepth = 200

func skeleton(out *[]byte, n *yaml.Node, r role, depth int) error {
	if depth > maxSkeletonDepth {
		return errors.New("story: nesting too deep")
	}
	*out = append(*out, byte(n.Kind))
	*out = appendString(*out, n.Tag)
	*out = appendString(*out, n.Anchor)
	*out = appendString(*out, n.Value)
	if n.Kind == yaml.AliasNode {
		return nil // its anchor's name is kept; the anchored node is encoded where it stands
	}
	content := n.Content
	if n.Kind == yaml.MappingNode && narration[r] != nil {
		content = nil
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if !narration[r][k.Value] || v.Kind != yaml.ScalarNode {
				content = append(content, k, v)
			}
		}
	}
	*out = binary.AppendUvarint(*out, uint64(len(content)))
	for i, c := range content {
		cr := other
		switch {
		case r == document && c.Kind == yaml.MappingNode:
			cr = storyMap
		case r == stepList && c.Kind == yaml.MappingNode:
			cr = stepMap
		case r == storyMap && i%2 == 1 && content[i-1].Value == "steps":
			cr = stepList
		}
		if err := skeleton(out, c, cr, depth+1); err != nil {
			return err
		}
	}
	return nil
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}
