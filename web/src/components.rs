//! Thin Yew components: they draw what [`crate::view_model`] computed.

use yew::prelude::*;

use crate::animation::AnimationLoop;
use crate::cluster::new_cluster;
use crate::panic_box;
use crate::view_model::{ClusterDraw, NodeDraw, Outline, Playground, VIEW_SIZE};

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub seed: u64,
    /// Shown above the cluster, e.g. when `?seed=` was unusable.
    pub warning: Option<AttrValue>,
    /// `?crash`: panic on the first frame, to check the crash box.
    pub crash: bool,
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let seed = props.seed;
    let playground = use_mut_ref(|| Playground::new(seed, new_cluster(seed)));
    let draw = use_state_eq(|| playground.borrow().draw());

    {
        let (playground, draw, crash) = (playground.clone(), draw.clone(), props.crash);
        use_effect_with((), move |_| {
            let animation = AnimationLoop::start(move |wall_ms| {
                if crash {
                    panic!("deliberate crash requested by ?crash in the URL");
                }
                let next = playground.borrow_mut().tick(wall_ms);
                panic_box::note_sim_time(next.now_us);
                draw.set(next);
            });
            move || drop(animation)
        });
    }

    html! {
        <main class="playground">
            <header>
                <h1>{ "Raft Playground" }</h1>
                <p class="status">
                    <span data-testid="seed">{ format!("seed {seed}") }</span>
                    { " \u{00b7} " }
                    <span data-testid="sim-time" data-us={draw.now_us.to_string()}>
                        { format!("simulated time {}", draw.sim_time_label()) }
                    </span>
                </p>
            </header>
            if let Some(warning) = &props.warning {
                <p class="warning" role="status" data-testid="seed-warning">{ warning.clone() }</p>
            }
            <ClusterView draw={(*draw).clone()} />
        </main>
    }
}

#[derive(Properties, PartialEq)]
pub struct ClusterViewProps {
    pub draw: ClusterDraw,
}

#[component]
pub fn ClusterView(props: &ClusterViewProps) -> Html {
    let size = VIEW_SIZE.to_string();
    html! {
        <svg data-testid="cluster" class="cluster" role="img" aria-label="Raft cluster"
            viewBox={format!("0 0 {size} {size}")}>
            { for props.draw.nodes.iter().map(|n| html! { <NodeGlyph key={n.id} node={n.clone()} /> }) }
        </svg>
    }
}

#[derive(Properties, PartialEq)]
pub struct NodeGlyphProps {
    pub node: NodeDraw,
}

/// One server: role outline, body in the role's colour, id and term.
#[component]
pub fn NodeGlyph(props: &NodeGlyphProps) -> Html {
    let n = &props.node;
    let outline = match &n.outline {
        Outline::Circle { r, dashed } => html! {
            <circle class="outline" cx={n.x.to_string()} cy={n.y.to_string()} r={r.to_string()}
                stroke-dasharray={dashed.then_some("6 4")} />
        },
        Outline::Polygon { points } => html! {
            <polygon class="outline" points={points.clone()} />
        },
    };
    let class = classes!("node", n.role, (!n.alive).then_some("dead"));
    html! {
        <g data-testid="node" class={class}
            data-node-id={n.id.to_string()} data-role={n.role} data-term={n.term.to_string()}
            data-alive={n.alive.to_string()} data-commit={n.commit.to_string()}>
            <title>{ format!("server {} \u{2014} {}, term {}, commit {}{}", n.id, n.role, n.term, n.commit,
                if n.alive { "" } else { " (down)" }) }</title>
            { outline }
            <circle class="body" cx={n.x.to_string()} cy={n.y.to_string()} r={n.r.to_string()} fill={n.fill} />
            <text class="id" x={n.x.to_string()} y={(n.y - 4).to_string()}>{ format!("S{}", n.id) }</text>
            <text class="term" x={n.x.to_string()} y={(n.y + 13).to_string()}>{ format!("T{}", n.term) }</text>
        </g>
    }
}
