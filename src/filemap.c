/* SPDX-License-Identifier: BSD-3-Clause */
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "v6share/filemap.h"

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22           /* Linux 5.14 */
#endif

#define MAP_STEP ((size_t)8 << 20)
#define READ_AHEAD (8 * MAP_STEP)    /* asked of the disk ahead of the page tables */
#define PREFETCH_AHEAD 8192u

int filemap_enabled = 1;

/* The file mapped, if one is, for the SIGBUS handler. */
static struct {
	int owned;                      /* a filemap has it (atomic) */
	const uint8_t *volatile base;
	volatile size_t len;
	volatile size_t cut;            /* the first offset known gone, or SIZE_MAX */
} live = { 0, NULL, 0, SIZE_MAX };
static struct sigaction prior_bus;
static size_t page_size;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	const uint8_t *a = si->si_addr, *b = live.base;
	if (b && a >= b && a < b + live.len) {
		uint8_t *pg = (uint8_t *)((uintptr_t)a & ~(uintptr_t)(page_size - 1));
		if (mmap(pg, (size_t)(b + live.len - pg), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) !=
		    MAP_FAILED) {
			if ((size_t)(pg - b) < live.cut)
				live.cut = (size_t)(pg - b);
			return;                 /* the load now reads zeros */
		}
	}
	/* not ours: as if this handler were not there */
	if ((prior_bus.sa_flags & SA_SIGINFO) && prior_bus.sa_sigaction)
		prior_bus.sa_sigaction(sig, si, uc);
	else if (prior_bus.sa_handler != SIG_DFL && prior_bus.sa_handler != SIG_IGN)
		prior_bus.sa_handler(sig);
	else
		signal(SIGBUS, SIG_DFL);        /* the fault repeats and ends the process */
}

int filemap_open(struct filemap *m, int fd, size_t from)
{
	struct stat sb;
	memset(m, 0, sizeof(*m));
	m->fd = fd;
	if (!filemap_enabled || fd < 0 || fstat(fd, &sb) || !S_ISREG(sb.st_mode) || (uint64_t)sb.st_size <= from ||
	    (uint64_t)sb.st_size > SIZE_MAX / 2)
		return 0;
	int free_slot = 0;
	if (!__atomic_compare_exchange_n(&live.owned, &free_slot, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return 0;
	/* installed for each mapping and put back after it: whatever was there
	 * (a test framework's, a library's) stays in charge of other faults */
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	page_size = (size_t)sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED || sigaction(SIGBUS, &sa, &prior_bus)) {
		if (p != MAP_FAILED)
			munmap(p, (size_t)sb.st_size);
		__atomic_store_n(&live.owned, 0, __ATOMIC_RELEASE);
		return 0;
	}
	live.cut = SIZE_MAX;
	live.len = (size_t)sb.st_size;
	live.base = p;
	m->base = p;
	m->len = m->end = (size_t)sb.st_size;
	/* a file not yet in the page cache is read from disk ahead of the
	 * reader, without waiting (a hint; filemap_reach keeps it ahead) */
	madvise(p, m->len < READ_AHEAD ? m->len : READ_AHEAD, MADV_WILLNEED);
	return 1;
}

/* Where the file was cut, if it was: the handler's note and its size now. */
static void note_cut(struct filemap *m)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	size_t cut = live.cut;
	struct stat sb;
	int sized = fstat(m->fd, &sb) == 0;
	if (sized && (uint64_t)sb.st_size < cut)
		cut = (size_t)sb.st_size;
	else if (sized && cut != SIZE_MAX)
		m->ioerr = 1;                   /* the file goes on past the page that failed */
	if (cut < m->end)
		m->end = cut;
}

size_t filemap_reach(struct filemap *m, size_t off, size_t n)
{
	/* a step at a time: the disk asked ahead, page tables filled ahead
	 * (prefetches do not fault pages in), pages long read dropped, and a
	 * look at the file's size. Reading a 1.2 GB capture not in the page
	 * cache, four alternating runs each: 0.69-0.70 s asking 64 MiB ahead
	 * against 1.27-2.44 s without (and 0.79-1.72 s with read(2)); in the
	 * page cache it costs 4 ms of 0.17 s. */
	if (m->populated < off + MAP_STEP && m->populated < m->end) {
		size_t w = m->end - m->populated < MAP_STEP ? m->end - m->populated : MAP_STEP;
		if (m->end - m->populated > READ_AHEAD) {
			size_t ra = m->populated + READ_AHEAD;
			madvise((void *)(uintptr_t)(m->base + ra), m->end - ra < MAP_STEP ? m->end - ra : MAP_STEP,
				MADV_WILLNEED);
		}
		madvise((void *)(uintptr_t)(m->base + m->populated), w, MADV_POPULATE_READ);  /* a hint */
		m->populated += w;
		if (off > m->dropped + 2 * MAP_STEP) {
			size_t to = (off - MAP_STEP) & ~(page_size - 1);
			madvise((void *)(uintptr_t)(m->base + m->dropped), to - m->dropped, MADV_DONTNEED);
			m->dropped = to;
		}
		note_cut(m);
	}
	size_t until = off + PREFETCH_AHEAD < m->end ? off + PREFETCH_AHEAD : m->end;
	if (m->prefetched < off)                /* past a long record: not the lines behind */
		m->prefetched = off & ~(size_t)63;
	/* into the L2 cache only (prefetcht2): the reader touches one or two
	 * lines of each record, and the rest need not pass through L1. The
	 * meter without tables, eight alternating runs: 0.193-0.198 s against
	 * 0.199-0.219 s prefetching into L1 */
	for (; m->prefetched < until; m->prefetched += 64)
		__builtin_prefetch(m->base + m->prefetched, 0, 1);
	/* Was the file cut before off + n? Its last page reads zeros past the
	 * new end without a fault, but the page after it faults (and reads
	 * zeros from then on). In the mapping's last page, ask its size. */
	if (n && off < m->end) {
		size_t last = n <= m->end - off ? off + n : m->end;
		size_t next_page = ((last - 1) | (page_size - 1)) + 1;
		if (next_page < m->end)
			(void)*(volatile const uint8_t *)(m->base + next_page);
		else
			note_cut(m);
	}
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	if (live.cut != SIZE_MAX)
		note_cut(m);
	return m->end;
}

size_t filemap_end(struct filemap *m)
{
	note_cut(m);
	return m->end;
}

int filemap_grew(const struct filemap *m)
{
	struct stat sb;
	return fstat(m->fd, &sb) == 0 && (uint64_t)sb.st_size > m->len;
}

void filemap_close(struct filemap *m)
{
	if (!m->base)
		return;
	live.base = NULL;
	sigaction(SIGBUS, &prior_bus, NULL);
	munmap((void *)(uintptr_t)m->base, m->len);
	m->base = NULL;
	__atomic_store_n(&live.owned, 0, __ATOMIC_RELEASE);
}
