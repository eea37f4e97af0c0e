// Spike: relay RTP between two legs inside the kernel (TC ingress on lo). Per destination port a
// rule: new source port, new destination port, RTP seq/ts offsets and SSRC.
// linux/bpf.h first: the libbpf helpers use the kernel's __u32/__u64 types it brings (and
// clang-format's include sorting would put it after them).
// clang-format off
#include <linux/bpf.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
// clang-format on
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/udp.h>

struct rule {
    __u16 src_port; // network order
    __u16 dst_port; // network order
    __u16 seq_offset;
    __u16 pad;
    __u32 ts_offset;
    __u32 ssrc; // network order
    __u64 packets;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 65536);
    __type(key, __u16);
    __type(value, struct rule);
} rules SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 16 << 20);
} copies SEC(".maps");

SEC("tc")
int relay(struct __sk_buff* skb) {
    void* data = (void*)(long)skb->data;
    void* end = (void*)(long)skb->data_end;
    struct ethhdr* eth = data;
    if ((void*)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP)) return TC_ACT_OK;
    struct iphdr* ip = (void*)(eth + 1);
    if ((void*)(ip + 1) > end || ip->protocol != IPPROTO_UDP || ip->ihl != 5) return TC_ACT_OK;
    struct udphdr* udp = (void*)(ip + 1);
    if ((void*)(udp + 1) > end) return TC_ACT_OK;
    __u16 key = udp->dest;
    struct rule* r = bpf_map_lookup_elem(&rules, &key);
    if (!r) return TC_ACT_OK;
    __u8* rtp = (void*)(udp + 1);
    if ((void*)(rtp + 12) > end || (rtp[0] & 0xC0) != 0x80 || rtp[1] >= 192) return TC_ACT_OK;
    // A copy of the received packet for user space (recording, statistics), as it arrived.
    __u32 len = skb->len - (sizeof(struct ethhdr) + sizeof(struct iphdr) + sizeof(struct udphdr));
    if (len <= 200) {
        __u8* slot = bpf_ringbuf_reserve(&copies, 204, 0);
        if (slot) {
            *(__u16*)slot = key;
            *(__u16*)(slot + 2) = (__u16)len;
            bpf_skb_load_bytes(skb,
                               sizeof(struct ethhdr) + sizeof(struct iphdr) + sizeof(struct udphdr),
                               slot + 4, 172);
            bpf_ringbuf_submit(slot, BPF_RB_NO_WAKEUP);
        }
    }
    __u16* seq = (void*)(rtp + 2);
    __u32* ts = (void*)(rtp + 4);
    __u32* ssrc = (void*)(rtp + 8);
    *seq = bpf_htons(bpf_ntohs(*seq) + r->seq_offset);
    *ts = bpf_htonl(bpf_ntohl(*ts) + r->ts_offset);
    *ssrc = r->ssrc;
    udp->source = r->src_port;
    udp->dest = r->dst_port;
    udp->check = 0; // IPv4: no UDP checksum
    __sync_fetch_and_add(&r->packets, 1);
    return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
