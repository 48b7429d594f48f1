// Package gentree generates the benchmarks' test trees from a seed (about
// 2,000 small files, 200 medium and a few large ones, half incompressible)
// and mutates a given share of their bytes in place, the same way every
// run, so that every tool is measured on the same data.
package gentree
