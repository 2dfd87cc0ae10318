package filter

import "konto/store/textfold"

// The filter folds text as everything else in konto does (store/textfold):
// these names keep the index's code short.

type folder struct{ textfold.Folder }

func newFolder() *folder { return &folder{} }

func (f *folder) appendFold(dst []byte, s string, dropSpaces bool) []byte {
	return f.AppendFold(dst, s, dropSpaces)
}

func fold(s string) string { return textfold.Fold(s) }

func foldType(s string) string { return textfold.FoldType(s) }

func appendFoldType(dst []byte, s string) []byte { return textfold.AppendFoldType(dst, s) }
